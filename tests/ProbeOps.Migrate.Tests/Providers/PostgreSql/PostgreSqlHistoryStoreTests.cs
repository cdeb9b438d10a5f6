using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlHistoryStoreTests
{
    private static readonly DateTimeOffset Start = new(2025, 5, 14, 9, 30, 0, TimeSpan.Zero);

    private static PostgresServer Server => PostgresServer.Shared;

    private static AppliedRevision Row(string revision, int minute, params string[] parents) =>
        new(revision, parents, $"message of {revision}", "sha256:" + revision, Start.AddMinutes(minute).AddTicks(1230), "deployer", minute * 10L, "deploy-1");

    /// <summary>Records compare their parent lists by reference: compare what they hold.</summary>
    private static void AssertRows(IEnumerable<AppliedRevision> expected, IEnumerable<AppliedRevision> actual) =>
        Assert.Equal(expected.Select(Flatten), actual.Select(Flatten));

    private static (string, string, string?, string, DateTimeOffset, string, long, string) Flatten(AppliedRevision row) =>
        (row.Revision, string.Join(',', row.Parents), row.Message, row.Checksum, row.AppliedAt, row.AppliedBy, row.ExecutionMilliseconds, row.DeployId);

    private static AuditEntry Audit(string operation, string outcome, string? detail) =>
        new("deploy-1", operation, "deployer", "ci-01", "0.1.0", Start, Start.AddSeconds(3), outcome, "a,b", detail);

    [Fact]
    public async Task Reading_before_the_tables_exist_finds_nothing()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Empty(await session.History.ReadAuditAsync(CancellationToken.None));
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('probeops_schema_history')::text"));
    }

    [Fact]
    public async Task History_round_trips_outside_a_transaction()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var history = session.History;
        var ct = CancellationToken.None;

        await history.EnsureCreatedAsync(ct);
        await history.EnsureCreatedAsync(ct);
        AppliedRevision[] rows =
        [
            Row("base", 0),
            Row("tiers", 1, "base") with { Message = null },
            Row("merge", 2, "tiers", "side"),
            Row("side", 1, "base"),
        ];
        await history.RecordAppliedAsync(rows, ct);

        AssertRows([rows[0], rows[3], rows[1], rows[2]], await history.ReadAppliedAsync(ct));

        await history.RemoveAppliedAsync(["merge", "side"], ct);
        AssertRows([rows[0], rows[1]], await history.ReadAppliedAsync(ct));

        AppliedRevision[] stamped = [Row("x", 5), Row("y", 6, "x")];
        await history.ReplaceAllAsync(stamped, ct);
        AssertRows(stamped, await history.ReadAppliedAsync(ct));

        await history.ReplaceAllAsync([], ct);
        Assert.Empty(await history.ReadAppliedAsync(ct));
    }

    [Fact]
    public async Task Applied_timestamps_keep_microseconds_in_utc()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var appliedAt = new DateTimeOffset(2025, 5, 14, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_560);
        await session.History.EnsureCreatedAsync(CancellationToken.None);

        await session.History.RecordAppliedAsync([Row("base", 0) with { AppliedAt = appliedAt }], CancellationToken.None);

        var read = Assert.Single(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Equal(appliedAt, read.AppliedAt);
        Assert.Equal(TimeSpan.Zero, read.AppliedAt.Offset);
    }

    [Fact]
    public async Task Rows_written_in_a_committed_transaction_are_seen_by_other_sessions()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await using var other = await PostgreSqlTestSession.OpenAsync(db);

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Row("base", 0)], CancellationToken.None);
        Assert.Single(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Empty(await other.History.ReadAppliedAsync(CancellationToken.None));
        await session.Executor.CommitAsync(CancellationToken.None);

        AssertRows([Row("base", 0)], await other.History.ReadAppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_rows_and_no_tables()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var ct = CancellationToken.None;

        await session.Executor.BeginTransactionAsync(ct);
        await session.History.EnsureCreatedAsync(ct);
        await session.History.RecordAppliedAsync([Row("base", 0), Row("next", 1, "base")], ct);
        await session.History.AppendAuditAsync(Audit(AuditOperations.Upgrade, AuditOutcomes.Succeeded, null), ct);
        await session.Executor.RollbackAsync(ct);

        Assert.Empty(await session.History.ReadAppliedAsync(ct));
        Assert.Empty(await session.History.ReadAuditAsync(ct));
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('probeops_schema_history')::text"));
    }

    [Fact]
    public async Task A_rolled_back_removal_keeps_the_rows()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var ct = CancellationToken.None;
        await session.History.EnsureCreatedAsync(ct);
        await session.History.RecordAppliedAsync([Row("base", 0), Row("next", 1, "base")], ct);

        await session.Executor.BeginTransactionAsync(ct);
        await session.History.RemoveAppliedAsync(["next"], ct);
        await session.History.ReplaceAllAsync([Row("other", 3)], ct);
        await session.Executor.RollbackAsync(ct);

        AssertRows([Row("base", 0), Row("next", 1, "base")], await session.History.ReadAppliedAsync(ct));
    }

    [Fact]
    public async Task Recording_a_revision_twice_fails_and_replace_all_changes_nothing_on_failure()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var ct = CancellationToken.None;
        await session.History.EnsureCreatedAsync(ct);
        await session.History.RecordAppliedAsync([Row("base", 0)], ct);

        var duplicate = await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync([Row("base", 1)], ct));
        Assert.Equal("23505", duplicate.SqlState);

        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.ReplaceAllAsync([Row("x", 1), Row("x", 2)], ct));
        Assert.False(session.Executor.InTransaction);
        AssertRows([Row("base", 0)], await session.History.ReadAppliedAsync(ct));
    }

    [Fact]
    public async Task Audit_entries_are_appended_in_order_and_create_the_tables()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var ct = CancellationToken.None;
        var first = Audit(AuditOperations.Upgrade, AuditOutcomes.Failed, "relation \"x\" already exists; it's \\ odd");
        var second = Audit(AuditOperations.Stamp, AuditOutcomes.Succeeded, null) with { Revisions = "" };

        await session.History.AppendAuditAsync(first, ct);
        await session.History.AppendAuditAsync(second, ct);

        Assert.Equal([first, second], await session.History.ReadAuditAsync(ct));
        Assert.Empty(await session.History.ReadAppliedAsync(ct));
    }

    [Fact]
    public async Task Tables_live_in_the_configured_schema_even_with_quotes_in_the_name()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var options = PostgreSqlTestSession.Options(new HistoryTableName("we\"ird history", "Ops"));
        await using var session = await PostgreSqlTestSession.OpenAsync(db, options);
        var ct = CancellationToken.None;

        await session.History.EnsureCreatedAsync(ct);
        await session.History.RecordAppliedAsync([Row("base", 0)], ct);
        await session.History.AppendAuditAsync(Audit(AuditOperations.Upgrade, AuditOutcomes.Succeeded, null), ct);

        AssertRows([Row("base", 0)], await session.History.ReadAppliedAsync(ct));
        Assert.Single(await session.History.ReadAuditAsync(ct));
        Assert.Equal(
            "\"we\"\"ird history\", \"we\"\"ird history_audit\"",
            await session.ScalarAsync<string>("SELECT string_agg(quote_ident(relname), ', ' ORDER BY relname) FROM pg_class WHERE relnamespace = '\"Ops\"'::regnamespace AND relkind = 'r'"));
    }

    [Fact]
    public async Task Thousands_of_rows_are_recorded_in_one_statement()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var rows = Enumerable.Range(0, 5000).Select(i => Row($"r{i:D5}", 0, i == 0 ? [] : [$"r{i - 1:D5}"])).ToList();
        await session.History.EnsureCreatedAsync(CancellationToken.None);

        await session.History.RecordAppliedAsync(rows, CancellationToken.None);

        AssertRows(rows, await session.History.ReadAppliedAsync(CancellationToken.None));
    }
}
