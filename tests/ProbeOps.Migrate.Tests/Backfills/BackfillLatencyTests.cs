using System.Diagnostics;
using Npgsql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Backfills;

/// <summary>
/// What a backfill is for: an application writing to random rows of a table while it is migrated waits for
/// one batch at most, where one <c>UPDATE</c> in an upgrade section makes it wait for the whole change.
/// Both are measured in this one test, on the same table, and compared as a ratio.
/// </summary>
public sealed class BackfillLatencyTests
{
    private const int Rows = 300_000;

    [Fact]
    public async Task A_concurrent_writer_waits_far_less_during_a_backfill_than_during_the_same_change_as_one_update()
    {
        await using var project = await BackfillProject.CreateAsync(Rows, batch: 5000);
        File.Delete(project.Dir.Combine("migrations", BackfillProject.Backfill + ".sql"));
        File.Delete(project.Dir.Combine("migrations", BackfillProject.Child + ".sql"));
        project.Write("20250102_one_update", BackfillProject.Base, "ALTER TABLE items ADD COLUMN a boolean;\nUPDATE items SET a = (status <> 'up');");
        project.Dir.Write("migrations/20250103_batched.sql", """
            -- down_revision: 20250102_one_update

            -- migrate:upgrade
            ALTER TABLE items ADD COLUMN b boolean;

            -- migrate:backfill
            UPDATE items SET b = (status <> 'up') WHERE id IN (SELECT id FROM items WHERE b IS NULL LIMIT 5000);
            """);
        var setup = await project.RunAsync("upgrade", BackfillProject.Base);
        Assert.True(setup.ExitCode == 0, setup.ToString());
        // The one UPDATE leaves 300,000 dead rows; an autovacuum of them would hold up the next ALTER TABLE until
        // PostgreSQL cancels it (deadlock_timeout), and the writer with it: a wait of the vacuum's, not the backfill's.
        await project.ScalarAsync<object>("ALTER TABLE items SET (autovacuum_enabled = false)");

        var oneUpdate = await MaxWriteLatencyDuringAsync(project, "20250102_one_update");
        var backfill = await MaxWriteLatencyDuringAsync(project, "20250103_batched");

        Assert.Equal(Rows, await project.ScalarAsync<long>("SELECT count(*) FROM items WHERE b IS NOT NULL"));
        // A ratio of one run's waits, with room for one stray wait of the server's own (about deadlock_timeout, 1 s)
        // during the backfill: the one UPDATE holds the writer for the whole change, a batch only for itself.
        var ratio = backfill.TotalMilliseconds / oneUpdate.TotalMilliseconds;
        Assert.True(
            ratio < 0.75,
            $"max write latency during the backfill {backfill.TotalMilliseconds:0} ms, during one UPDATE {oneUpdate.TotalMilliseconds:0} ms (ratio {ratio:0.00})");
    }

    /// <summary>Runs <c>upgrade TARGET</c> while a writer updates random rows; the longest write while it ran.</summary>
    private static async Task<TimeSpan> MaxWriteLatencyDuringAsync(BackfillProject project, string target)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(project.Database);
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            var max = TimeSpan.Zero;
            await using var command = new NpgsqlCommand("UPDATE items SET touched = touched + 1 WHERE id = $1", connection);
            var id = command.Parameters.Add(new NpgsqlParameter { DataTypeName = "bigint" });
            while (!stop.IsCancellationRequested)
            {
                id.Value = (long)Random.Shared.Next(1, Rows + 1);
                var started = Stopwatch.GetTimestamp();
                await command.ExecuteNonQueryAsync();
                var elapsed = Stopwatch.GetElapsedTime(started);
                max = elapsed > max ? elapsed : max;
                Interlocked.Increment(ref writes);
            }

            return max;
        });

        // Measure only once the writer is writing.
        while (Volatile.Read(ref writes) == 0)
        {
            await Task.Delay(10);
        }

        var output = await project.RunAsync("upgrade", target);
        await stop.CancelAsync();
        var longest = await writer;
        Assert.True(output.ExitCode == 0, output.ToString());
        return longest;
    }
}
