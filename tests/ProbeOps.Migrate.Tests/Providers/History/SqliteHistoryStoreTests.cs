using System.Globalization;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.History;

public sealed class SqliteHistoryStoreTests : HistoryStoreTests, IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override ISqlDialect Dialect => SqlDialects.Sqlite;

    protected override string DuplicateKeyState => "1555";

    protected override bool LegacyTableKeptRowOrder => true;

    protected override string LegacyHistoryTable => """
        CREATE TABLE IF NOT EXISTS "probeops_schema_history" (
            revision TEXT NOT NULL PRIMARY KEY,
            parents TEXT NOT NULL,
            message TEXT,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            execution_ms INTEGER NOT NULL,
            deploy_id TEXT NOT NULL
        )
        """;

    protected override string[] HistoryColumns =>
        ["revision", "parents", "message", "checksum", "applied_at", "applied_by", "execution_ms", "deploy_id", "backfill_statement"];

    protected override async Task<IDatabaseSession> OpenAsync(HistoryTableName? history = null) =>
        await _dir.OpenAsync(options: history is null ? null : SessionOptions.Default with { History = history });

    protected override async Task<string[]> HistoryColumnsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.File("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('probeops_schema_history') ORDER BY cid)";
        return ((string)(await command.ExecuteScalarAsync())!).Split(',');
    }

    [Fact]
    public async Task Ten_thousand_rows_are_recorded_in_chunks_and_read_back_in_order()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        var rows = new AppliedRevision[10_000];
        for (var i = 0; i < rows.Length; i++)
        {
            var id = i.ToString("D5", CultureInfo.InvariantCulture);
            rows[i] = new AppliedRevision("r" + id, i == 0 ? [] : ["r" + (i - 1).ToString("D5", CultureInfo.InvariantCulture)], null, "sum", Start, "ci", i, "d-1");
        }

        await session.History.RecordAppliedAsync(rows, Ct);
        var read = await session.History.ReadAppliedAsync(Ct);

        Assert.Equal(10_000, read.Count);
        Assert.Equal(rows.Select(r => r.Revision), read.Select(r => r.Revision));
        Assert.Equal("r09998", Assert.Single(read[^1].Parents));
    }

    [Fact]
    public async Task A_failing_chunk_leaves_none_of_a_large_batch_behind()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("r0999", 0)], Ct);
        var rows = Enumerable.Range(0, 1_200).Select(i => Row("r" + i.ToString("D4", CultureInfo.InvariantCulture), 0)).ToArray();

        // r0999 is already recorded: the second chunk fails on the primary key after the first went in.
        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync(rows, Ct));

        Assert.False(session.Executor.InTransaction);
        Assert.Equal(["r0999"], (await session.History.ReadAppliedAsync(Ct)).Select(r => r.Revision));
    }

    [Fact]
    public async Task A_failing_large_batch_inside_a_transaction_keeps_the_transaction_usable()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.Executor.BeginTransactionAsync(Ct);
        await session.History.RecordAppliedAsync([Row("r0999", 0)], Ct);
        var rows = Enumerable.Range(0, 1_200).Select(i => Row("r" + i.ToString("D4", CultureInfo.InvariantCulture), 0)).ToArray();

        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync(rows, Ct));

        Assert.True(session.Executor.InTransaction);
        await session.Executor.CommitAsync(Ct);
        Assert.Equal(["r0999"], (await session.History.ReadAppliedAsync(Ct)).Select(r => r.Revision));
    }

    [Fact]
    public async Task An_unreadable_timestamp_is_reported_as_invalid_history()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.Executor.ExecuteAsync(
            new SqlStatement("INSERT INTO probeops_schema_history (revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id) VALUES ('a', '', NULL, 's', 'yesterday', 'ci', 1, 'd')", 1),
            Ct);

        var error = await Assert.ThrowsAsync<MigrateException>(() => session.History.ReadAppliedAsync(Ct));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("'yesterday'", error.Message, StringComparison.Ordinal);
    }
}
