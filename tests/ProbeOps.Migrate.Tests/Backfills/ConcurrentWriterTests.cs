using System.Diagnostics;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Backfills;

/// <summary>
/// What a backfill is for, shown by the order of events on a real server rather than by timings (the waits
/// themselves are measured by <c>bench/backfill_latency.sh</c>): an application's write to a row the backfill
/// has filled completes between two batches while the backfill is unfinished, where the same change as one
/// <c>UPDATE</c> in an upgrade section keeps the write waiting until the migration's transaction commits.
/// Open transactions of the test's own hold the tool at chosen points, so nothing depends on speed.
/// </summary>
public sealed class ConcurrentWriterTests
{
    private const int Rows = 10_000;
    private const int Batch = 1000;
    private const int Writes = 5;
    private const string AddColumn = "20250102_add_is_failure";
    private const string Batched = "20250103_fill_in_batches";
    private const string AtOnce = "20250103_fill_at_once";
    private const string Fill = "UPDATE items SET is_failure = (status <> 'up')";
    private const string WriteSql = "UPDATE items SET touched = touched + 1 WHERE id = $1 RETURNING is_failure";
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_concurrent_writer_updates_filled_rows_between_batches_while_the_backfill_is_unfinished()
    {
        await using var project = await CreateAsync(Batched, $"""
            INSERT INTO upgrade_runs VALUES ('{Batched}');

            -- migrate:backfill
            {Fill} WHERE id IN (SELECT id FROM items WHERE is_failure IS NULL ORDER BY id LIMIT {Batch});
            """);
        // Holdout k locks the first row of batch k + 1, so batch k + 1 waits until the test lets it go: the
        // backfill cannot finish, however fast it runs, before the writer has written after each of batches 1 to 5.
        var holdouts = new List<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)>();
        for (var k = 1; k <= Writes; k++)
        {
            holdouts.Add(await HoldAsync(project, $"SELECT 1 FROM items WHERE id = {(k * Batch) + 1} FOR UPDATE"));
        }

        using var run = project.Start("upgrade", "--lock-timeout", "0");
        var output = CollectAsync(run);
        await using var writer = await OpenAsync(project);
        for (var k = 1; k <= Writes; k++)
        {
            var (holdout, transaction) = holdouts[k - 1];

            // Batch k + 1 is open and waits for holdout k; seen from another connection, batch k has committed.
            await WaitUntilAsync(project, run, $"SELECT EXISTS (SELECT 1 {ToolBlockedBy(holdout)})");
            Assert.Equal((long)k * Batch, await project.ScalarAsync<long>("SELECT count(*) FROM items WHERE is_failure IS NOT NULL"));

            // A write to a row batch k filled completes now, while the tool's history says the backfill is unfinished.
            Assert.NotNull(await WriteAsync(writer, id: k * Batch));
            Assert.True(await BackfillingAsync(project), $"the backfill had finished by write {k}");
            await transaction.RollbackAsync();
            await holdout.DisposeAsync();
        }

        var finished = await output;
        Assert.True(finished.ExitCode == 0, finished.ToString());
        Assert.Equal(Rows, await project.DoneAsync());
        Assert.Equal(Writes, await project.ScalarAsync<long>("SELECT sum(touched) FROM items"));
        Assert.False(await BackfillingAsync(project));
    }

    [Fact]
    public async Task A_concurrent_writer_waits_on_the_migrations_transaction_until_it_commits_when_the_change_is_one_update()
    {
        await using var project = await CreateAsync(AtOnce, $"{Fill};\nINSERT INTO upgrade_runs VALUES ('{AtOnce}');");
        // The gate keeps the migration's transaction open once its UPDATE is done: its INSERT waits for the gate.
        var (gate, gateTransaction) = await HoldAsync(project, "LOCK TABLE upgrade_runs IN EXCLUSIVE MODE");
        await using var gateConnection = gate;
        using var run = project.Start("upgrade", "--lock-timeout", "0");
        var output = CollectAsync(run);
        await WaitUntilAsync(project, run, $"SELECT EXISTS (SELECT 1 {ToolBlockedBy(gate)})");
        var migration = await project.ScalarAsync<int>($"SELECT pid {ToolBlockedBy(gate)}");

        await using var writer = await OpenAsync(project);
        var write = WriteAsync(writer, id: 2);
        await WaitUntilAsync(project, run, $"SELECT {migration} = ANY(pg_blocking_pids({writer.ProcessID}))");
        Assert.False(write.IsCompleted);
        Assert.Equal(0L, await HistoryRowsAsync(project));
        Assert.Equal(0L, await project.ScalarAsync<long>("SELECT count(*) FROM items WHERE is_failure IS NOT NULL"));

        await gateTransaction.CommitAsync();
        var written = await write.WaitAsync(Guard);

        // The write went on top of the migration's committed row (row 2 is 'up': false, not NULL), and the
        // migration's history row, committed in the same transaction, is there as the write returns.
        Assert.False(written);
        Assert.Equal(1L, await HistoryRowsAsync(project));
        var finished = await output;
        Assert.True(finished.ExitCode == 0, finished.ToString());
        Assert.Equal(Rows, await project.DoneAsync());
    }

    /// <summary>
    /// Base (<c>items</c>, <c>upgrade_runs</c>), a revision that adds <c>is_failure</c>, both applied, and the
    /// pending revision <paramref name="revision"/> whose upgrade section (and what follows it) is <paramref name="body"/>.
    /// </summary>
    private static async Task<BackfillProject> CreateAsync(string revision, string body)
    {
        var project = await BackfillProject.CreateAsync(Rows, Batch);
        File.Delete(project.Dir.Combine("migrations", BackfillProject.Backfill + ".sql"));
        File.Delete(project.Dir.Combine("migrations", BackfillProject.Child + ".sql"));
        project.Write(AddColumn, BackfillProject.Base, "ALTER TABLE items ADD COLUMN is_failure boolean;");
        var setup = await project.RunAsync("upgrade");
        Assert.True(setup.ExitCode == 0, setup.ToString());
        project.Write(revision, AddColumn, body);
        return project;
    }

    private static Task<NpgsqlConnection> OpenAsync(BackfillProject project) => PostgresServer.Shared.OpenConnectionAsync(project.Database);

    /// <summary>A connection in an open transaction that holds the locks <paramref name="sql"/> takes.</summary>
    private static async Task<(NpgsqlConnection, NpgsqlTransaction)> HoldAsync(BackfillProject project, string sql)
    {
        var connection = await OpenAsync(project);
        var transaction = await connection.BeginTransactionAsync();
        await using var hold = new NpgsqlCommand(sql, connection, transaction);
        await hold.ExecuteNonQueryAsync();
        return (connection, transaction);
    }

    /// <summary>The application's write: one row, in a transaction of its own; the row's <c>is_failure</c> as written.</summary>
    private static async Task<bool?> WriteAsync(NpgsqlConnection writer, long id)
    {
        await using var command = new NpgsqlCommand(WriteSql, writer) { CommandTimeout = (int)Guard.TotalSeconds };
        command.Parameters.Add(new NpgsqlParameter { DataTypeName = "bigint", Value = id });
        return await command.ExecuteScalarAsync() is bool written ? written : null;
    }

    /// <summary>The tool's backends that wait for a lock <paramref name="holder"/> holds, as a FROM clause.</summary>
    private static string ToolBlockedBy(NpgsqlConnection holder) =>
        $"FROM pg_stat_activity WHERE application_name = 'probeops-migrate' AND {holder.ProcessID} = ANY(pg_blocking_pids(pid))";

    /// <summary>The tool's own record: the batched revision is applied and its backfill unfinished.</summary>
    private static Task<bool> BackfillingAsync(BackfillProject project) =>
        project.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM probeops_schema_history WHERE revision = '{Batched}' AND backfill_statement IS NOT NULL)");

    private static Task<long> HistoryRowsAsync(BackfillProject project) =>
        project.ScalarAsync<long>($"SELECT count(*) FROM probeops_schema_history WHERE revision = '{AtOnce}'");

    /// <summary>Waits until <paramref name="sql"/> is true; fails if the tool exits first or the guard runs out.</summary>
    private static Task WaitUntilAsync(BackfillProject project, Process run, string sql) =>
        project.WaitUntilAsync(run, () => project.ScalarAsync<bool>(sql), sql);

    /// <summary>The tool's output once it exits.</summary>
    private static Task<CliOutput> CollectAsync(Process run) => CliProcess.CollectAsync(run, Guard);
}
