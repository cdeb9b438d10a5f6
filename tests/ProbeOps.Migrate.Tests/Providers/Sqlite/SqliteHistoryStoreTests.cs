using System.Globalization;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteHistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 5, 14, 9, 30, 0, TimeSpan.Zero);

    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static AppliedRevision Row(string revision, int minute, params string[] parents) =>
        new(revision, parents, "Message of " + revision, "sum-" + revision, Start.AddMinutes(minute), "ci", minute * 10, "d-1");

    private static AuditEntry Audit(string deployId, string operation, string outcome) =>
        new(deployId, operation, "ci", "host-1", "0.1.0", Start, Start.AddSeconds(3), outcome, "a,b", null);

    [Fact]
    public async Task Reading_before_the_tables_exist_returns_nothing()
    {
        await using var session = await _dir.OpenAsync();

        Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Empty(await session.History.ReadAuditAsync(CancellationToken.None));
    }

    [Fact]
    public async Task History_round_trips_record_remove_and_replace()
    {
        await using var session = await _dir.OpenAsync();
        var history = session.History;
        await history.EnsureCreatedAsync(CancellationToken.None);
        await history.EnsureCreatedAsync(CancellationToken.None);

        AppliedRevision[] rows = [Row("a", 0), Row("b", 1, "a"), Row("c", 2, "a"), Row("d", 3, "b", "c")];
        await history.RecordAppliedAsync(rows, CancellationToken.None);
        var read = await history.ReadAppliedAsync(CancellationToken.None);
        Assert.Equal(rows.Select(r => r.Revision), read.Select(r => r.Revision));
        Assert.Equal(rows[3].Parents, read[3].Parents);
        Assert.Empty(read[0].Parents);
        Assert.Equal(rows[2] with { Parents = read[2].Parents }, read[2]);
        Assert.Equal(Start.AddMinutes(3), read[3].AppliedAt);

        await history.RemoveAppliedAsync(["d", "c"], CancellationToken.None);
        Assert.Equal(["a", "b"], (await history.ReadAppliedAsync(CancellationToken.None)).Select(r => r.Revision));

        await history.ReplaceAllAsync([Row("x", 9)], CancellationToken.None);
        Assert.Equal(["x"], (await history.ReadAppliedAsync(CancellationToken.None)).Select(r => r.Revision));

        await history.ReplaceAllAsync([], CancellationToken.None);
        Assert.Empty(await history.ReadAppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Null_message_and_local_offsets_read_back_as_utc_instants()
    {
        await using var session = await _dir.OpenAsync();
        var local = new DateTimeOffset(2025, 5, 14, 11, 30, 0, 5, TimeSpan.FromHours(2));
        await session.History.EnsureCreatedAsync(CancellationToken.None);

        await session.History.RecordAppliedAsync(
            [new AppliedRevision("a", [], null, "sum", local, "it's me", 42, "d-2")], CancellationToken.None);

        var row = Assert.Single(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Null(row.Message);
        Assert.Equal(local, row.AppliedAt);
        Assert.Equal(TimeSpan.Zero, row.AppliedAt.Offset);
        Assert.Equal("it's me", row.AppliedBy);
        Assert.Equal(42, row.ExecutionMilliseconds);
    }

    [Fact]
    public async Task Audit_appends_in_order_and_creates_only_its_own_table()
    {
        await using var session = await _dir.OpenAsync();

        await session.History.AppendAuditAsync(Audit("d-1", AuditOperations.Upgrade, AuditOutcomes.Succeeded), CancellationToken.None);
        await session.History.AppendAuditAsync(Audit("d-2", AuditOperations.Reset, AuditOutcomes.Failed) with { Detail = "disk full" }, CancellationToken.None);

        var entries = await session.History.ReadAuditAsync(CancellationToken.None);
        Assert.Equal(Audit("d-1", AuditOperations.Upgrade, AuditOutcomes.Succeeded), entries[0]);
        Assert.Equal("disk full", entries[1].Detail);
        Assert.Equal(AuditOperations.Reset, entries[1].Operation);
        Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Rolled_back_history_writes_leave_no_rows()
    {
        await using var session = await _dir.OpenAsync();

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Row("a", 0), Row("b", 1, "a")], CancellationToken.None);
        await session.History.AppendAuditAsync(Audit("d-1", AuditOperations.Upgrade, AuditOutcomes.Succeeded), CancellationToken.None);
        Assert.Equal(2, (await session.History.ReadAppliedAsync(CancellationToken.None)).Count);
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Empty(await session.History.ReadAuditAsync(CancellationToken.None));
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Ten_thousand_rows_are_recorded_and_read_back_in_order()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        var rows = new AppliedRevision[10_000];
        for (var i = 0; i < rows.Length; i++)
        {
            var id = i.ToString("D5", CultureInfo.InvariantCulture);
            rows[i] = new AppliedRevision("r" + id, i == 0 ? [] : ["r" + (i - 1).ToString("D5", CultureInfo.InvariantCulture)], null, "sum", Start, "ci", i, "d-1");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await session.History.RecordAppliedAsync(rows, CancellationToken.None);
        var read = await session.History.ReadAppliedAsync(CancellationToken.None);

        Assert.Equal(10_000, read.Count);
        Assert.Equal(rows.Select(r => r.Revision), read.Select(r => r.Revision));
        Assert.Equal("r09998", Assert.Single(read[^1].Parents));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_failing_chunk_leaves_none_of_a_large_batch_behind()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Row("r0999", 0)], CancellationToken.None);
        var rows = Enumerable.Range(0, 1_200)
            .Select(i => Row("r" + i.ToString("D4", CultureInfo.InvariantCulture), 0))
            .ToArray();

        // r0999 is already recorded: the second chunk fails on the primary key after the first went in.
        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync(rows, CancellationToken.None));

        Assert.False(session.Executor.InTransaction);
        Assert.Equal(["r0999"], (await session.History.ReadAppliedAsync(CancellationToken.None)).Select(r => r.Revision));
    }

    [Fact]
    public async Task A_failing_large_batch_inside_a_transaction_keeps_the_transaction_usable()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Row("r0999", 0)], CancellationToken.None);
        var rows = Enumerable.Range(0, 1_200)
            .Select(i => Row("r" + i.ToString("D4", CultureInfo.InvariantCulture), 0))
            .ToArray();

        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync(rows, CancellationToken.None));

        Assert.True(session.Executor.InTransaction);
        await session.Executor.CommitAsync(CancellationToken.None);
        Assert.Equal(["r0999"], (await session.History.ReadAppliedAsync(CancellationToken.None)).Select(r => r.Revision));
    }

    [Fact]
    public async Task A_custom_history_table_name_is_used_for_both_tables()
    {
        var options = SessionOptions.Default with { History = new HistoryTableName("odd \"name\"") };
        await using var session = await _dir.OpenAsync(options: options);

        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Row("a", 0)], CancellationToken.None);
        await session.History.AppendAuditAsync(Audit("d-1", AuditOperations.Stamp, AuditOutcomes.Succeeded), CancellationToken.None);

        Assert.Single(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Single(await session.History.ReadAuditAsync(CancellationToken.None));
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unreadable_timestamp_is_reported_as_invalid_history()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.Executor.ExecuteAsync(
            new SqlStatement("INSERT INTO probeops_schema_history VALUES ('a', '', NULL, 's', 'yesterday', 'ci', 1, 'd')", 1),
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<MigrateException>(() => session.History.ReadAppliedAsync(CancellationToken.None));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("'yesterday'", error.Message, StringComparison.Ordinal);
    }
}
