using System.Text;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Providers.History;

/// <summary>
/// The history store on a real database, one suite for every engine: each subclass opens sessions on a fresh
/// database of its engine and answers the few questions only its catalog can.
/// </summary>
public abstract class HistoryStoreTests
{
    protected static readonly DateTimeOffset Start = new(2025, 5, 14, 9, 30, 0, TimeSpan.Zero);

    protected static CancellationToken Ct => CancellationToken.None;

    protected abstract ISqlDialect Dialect { get; }

    /// <summary>The SQLSTATE (or extended result code) of a repeated primary key.</summary>
    protected abstract string DuplicateKeyState { get; }

    /// <summary>The history table exactly as the tool created it before it had a row order key.</summary>
    protected abstract string LegacyHistoryTable { get; }

    /// <summary>Whether a table from before the row order key already kept rows in insertion order (SQLite's rowid).</summary>
    protected abstract bool LegacyTableKeptRowOrder { get; }

    /// <summary>The history table's columns, in order, as a new table has them.</summary>
    protected abstract string[] HistoryColumns { get; }

    /// <summary>Opens a session on this test's database.</summary>
    protected abstract Task<IDatabaseSession> OpenAsync(HistoryTableName? history = null);

    /// <summary>The columns of the default history table, in order.</summary>
    protected abstract Task<string[]> HistoryColumnsAsync();

    protected static AppliedRevision Row(string revision, int minute, params string[] parents) =>
        new(revision, parents, $"message of {revision}", "sha256:" + revision, Start.AddMinutes(minute).AddTicks(1230), "deployer", minute * 10L, "deploy-1");

    protected static AuditEntry Audit(string operation, string outcome, string? detail) =>
        new("deploy-1", operation, "deployer", "ci-01", "0.1.0", Start, Start.AddSeconds(3), outcome, "a,b", detail);

    /// <summary>Records compare their parent lists by reference: compare what they hold.</summary>
    protected static void AssertRows(IEnumerable<AppliedRevision> expected, IEnumerable<AppliedRevision> actual) =>
        Assert.Equal(expected.Select(Flatten), actual.Select(Flatten));

    protected static Task ExecAsync(IDatabaseSession session, string sql) =>
        session.Executor.ExecuteAsync(new SqlStatement(sql, 1), Ct);

    private static (string, string, string?, string, DateTimeOffset, string, long, string) Flatten(AppliedRevision row) =>
        (row.Revision, string.Join(',', row.Parents), row.Message, row.Checksum, row.AppliedAt, row.AppliedBy, row.ExecutionMilliseconds, row.DeployId);

    [Fact]
    public async Task Reading_before_the_tables_exist_finds_nothing()
    {
        await using var session = await OpenAsync();

        Assert.Empty(await session.History.ReadAppliedAsync(Ct));
        Assert.Empty(await session.History.ReadAuditAsync(Ct));
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(Ct));
    }

    [Fact]
    public async Task History_round_trips_record_remove_and_replace()
    {
        await using var session = await OpenAsync();
        var history = session.History;
        await history.EnsureCreatedAsync(Ct);
        await history.EnsureCreatedAsync(Ct);
        AppliedRevision[] rows =
        [
            Row("base", 0),
            Row("tiers", 1, "base") with { Message = null },
            Row("merge", 2, "tiers", "side"),
            Row("side", 1, "base"),
        ];
        await history.RecordAppliedAsync(rows, Ct);

        // By time; tiers and side share theirs, and read back in the order they were recorded.
        AssertRows([rows[0], rows[1], rows[3], rows[2]], await history.ReadAppliedAsync(Ct));

        await history.RemoveAppliedAsync(["merge", "side"], Ct);
        AssertRows([rows[0], rows[1]], await history.ReadAppliedAsync(Ct));

        AppliedRevision[] stamped = [Row("x", 5), Row("y", 6, "x")];
        await history.ReplaceAllAsync(stamped, Ct);
        AssertRows(stamped, await history.ReadAppliedAsync(Ct));

        await history.ReplaceAllAsync([], Ct);
        Assert.Empty(await history.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task Rows_recorded_together_read_back_in_the_order_they_were_applied()
    {
        await using var session = await OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);

        // One transaction, one applied_at: the revision ids sort the other way round.
        AppliedRevision[] rows = [Row("c_first", 0), Row("b_second", 0, "c_first"), Row("a_third", 0, "b_second")];
        await session.History.RecordAppliedAsync(rows, Ct);

        AssertRows(rows, await session.History.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task Revisions_applied_in_one_run_read_back_in_the_order_the_run_applied_them()
    {
        await using var session = await OpenAsync();
        var plan = Plan(("20250103_c", "CREATE TABLE c (id int);"), ("20250102_b", "CREATE TABLE b (id int);"), ("20250101_a", "CREATE TABLE a (id int);"));

        await Runner(session).RunAsync(plan, Ct);

        var read = await session.History.ReadAppliedAsync(Ct);
        Assert.Equal(["20250103_c", "20250102_b", "20250101_a"], read.Select(r => r.Revision));
        Assert.Single(read.Select(r => r.AppliedAt).Distinct());
    }

    [Fact]
    public async Task Timestamps_keep_their_precision_and_read_back_in_utc()
    {
        await using var session = await OpenAsync();
        var local = new DateTimeOffset(2025, 5, 14, 11, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_560);
        await session.History.EnsureCreatedAsync(Ct);

        await session.History.RecordAppliedAsync([new AppliedRevision("a", [], null, "sum", local, "it's me", 42, "d-2")], Ct);

        var row = Assert.Single(await session.History.ReadAppliedAsync(Ct));
        Assert.Null(row.Message);
        Assert.Equal(local, row.AppliedAt);
        Assert.Equal(TimeSpan.Zero, row.AppliedAt.Offset);
        Assert.Equal("it's me", row.AppliedBy);
        Assert.Equal(42, row.ExecutionMilliseconds);
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_rows_and_no_tables()
    {
        await using var session = await OpenAsync();

        await session.Executor.BeginTransactionAsync(Ct);
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0), Row("next", 1, "base")], Ct);
        await session.History.AppendAuditAsync(Audit(AuditOperations.Upgrade, AuditOutcomes.Succeeded, null), Ct);
        Assert.Equal(2, (await session.History.ReadAppliedAsync(Ct)).Count);
        await session.Executor.RollbackAsync(Ct);

        Assert.Empty(await session.History.ReadAppliedAsync(Ct));
        Assert.Empty(await session.History.ReadAuditAsync(Ct));
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(Ct));
    }

    [Fact]
    public async Task A_rolled_back_removal_keeps_the_rows()
    {
        await using var session = await OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0), Row("next", 1, "base")], Ct);

        await session.Executor.BeginTransactionAsync(Ct);
        await session.History.RemoveAppliedAsync(["next"], Ct);
        await session.History.ReplaceAllAsync([Row("other", 3)], Ct);
        await session.Executor.RollbackAsync(Ct);

        AssertRows([Row("base", 0), Row("next", 1, "base")], await session.History.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task Recording_a_revision_twice_fails_and_replace_all_changes_nothing_on_failure()
    {
        await using var session = await OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0)], Ct);

        var duplicate = await Assert.ThrowsAsync<StatementFailedException>(() => session.History.RecordAppliedAsync([Row("base", 1)], Ct));
        Assert.Equal(DuplicateKeyState, duplicate.SqlState);

        await Assert.ThrowsAsync<StatementFailedException>(() => session.History.ReplaceAllAsync([Row("x", 1), Row("x", 2)], Ct));
        Assert.False(session.Executor.InTransaction);
        AssertRows([Row("base", 0)], await session.History.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task Audit_entries_are_appended_in_order_and_create_only_their_own_table()
    {
        await using var session = await OpenAsync();
        var first = Audit(AuditOperations.Upgrade, AuditOutcomes.Failed, "relation \"x\" already exists; it's \\ odd");
        var second = Audit(AuditOperations.Stamp, AuditOutcomes.Succeeded, null) with { Revisions = "" };

        await session.History.AppendAuditAsync(first, Ct);
        await session.History.AppendAuditAsync(second, Ct);

        Assert.Equal([first, second], await session.History.ReadAuditAsync(Ct));
        Assert.Empty(await session.History.ReadAppliedAsync(Ct));
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(Ct));
    }

    [Fact]
    public async Task A_custom_history_table_name_with_quotes_is_used_for_both_tables()
    {
        await using var session = await OpenAsync(new HistoryTableName("we\"ird history", "Ops"));

        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0)], Ct);
        await session.History.AppendAuditAsync(Audit(AuditOperations.Upgrade, AuditOutcomes.Succeeded, null), Ct);

        AssertRows([Row("base", 0)], await session.History.ReadAppliedAsync(Ct));
        Assert.Single(await session.History.ReadAuditAsync(Ct));
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(Ct));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(Ct));
    }

    [Fact]
    public async Task Thousands_of_rows_are_recorded_and_read_back_in_order()
    {
        await using var session = await OpenAsync();
        var rows = Enumerable.Range(0, 5000).Select(i => Row($"r{4999 - i:D5}", 0, i == 0 ? [] : [$"r{5000 - i:D5}"])).ToList();
        await session.History.EnsureCreatedAsync(Ct);

        await session.History.RecordAppliedAsync(rows, Ct);

        AssertRows(rows, await session.History.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task A_backfilling_row_reads_back_with_its_next_statement_until_its_backfill_is_done()
    {
        await using var session = await OpenAsync();
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0), Row("fill", 1, "base") with { BackfillStatement = 1 }], Ct);

        Assert.Equal([null, 1], (await session.History.ReadAppliedAsync(Ct)).Select(r => r.BackfillStatement));
        await session.History.SetBackfillStatementAsync("fill", 2, Ct);
        Assert.Equal(2, (await session.History.ReadAppliedAsync(Ct))[1].BackfillStatement);
        await session.History.SetBackfillStatementAsync("fill", null, Ct);
        Assert.All(await session.History.ReadAppliedAsync(Ct), r => Assert.False(r.IsBackfilling));
    }

    [Fact]
    public async Task A_history_table_from_before_the_row_order_key_is_upgraded_in_place_by_the_next_run()
    {
        AppliedRevision[] legacy = [Row("old", 0), Row("z_first", 1, "old"), Row("y_second", 1, "z_first")];
        await using (var setup = await OpenAsync())
        {
            await ExecAsync(setup, LegacyHistoryTable);
            await ExecAsync(setup, new HistorySql(Dialect, new HistoryTableName()).InsertApplied(legacy).Text);
        }

        await using var session = await OpenAsync();
        // Read before any run upgrades it (status does this): without a key, by revision within one time.
        AssertRows(LegacyTableKeptRowOrder ? legacy : [legacy[0], legacy[2], legacy[1]], await session.History.ReadAppliedAsync(Ct));

        // A failed run rolls the upgrade back with everything else.
        var failing = Plan(("20250101_new", "CREATE TABLE t (id int);\nSELECT * FROM missing_table;"), parent: "y_second");
        await Assert.ThrowsAsync<MigrationFailedException>(() => Runner(session).RunAsync(failing, Ct));
        Assert.Equal(HistoryColumns.Where(c => c is not "id" and not HistorySql.BackfillColumn), await HistoryColumnsAsync());

        await Runner(session).RunAsync(Plan(("20250101_new", "CREATE TABLE t (id int);"), parent: "y_second"), Ct);
        await Runner(session).RunAsync(Plan(("20250102_newer", "CREATE TABLE u (id int);"), parent: "20250101_new"), Ct);

        Assert.Equal(HistoryColumns, await HistoryColumnsAsync());
        var read = await session.History.ReadAppliedAsync(Ct);
        Assert.Equal(["old", "z_first", "y_second", "20250101_new", "20250102_newer"], read.Select(r => r.Revision));
        AssertRows(legacy, read.Take(3));
        Assert.All(read, r => Assert.False(r.IsBackfilling));
    }

    private static MigrationRunner Runner(IDatabaseSession session) => new(
        session,
        new RunOptions(TransactionMode.Single, DryRun: false, LockRetries: 0, "deploy-1", new Actor("tester", "host", "1.0")),
        TimeProvider.System,
        NullMigrationObserver.Instance);

    /// <summary>A linear chain of migrations, each parsed from the file text the tool would read.</summary>
    private MigrationPlan Plan(params (string Id, string Upgrade)[] migrations) => Plan(migrations, parent: null);

    private MigrationPlan Plan((string Id, string Upgrade) migration, string parent) => Plan([migration], parent);

    private MigrationPlan Plan((string Id, string Upgrade)[] migrations, string? parent)
    {
        var steps = new List<Revision>();
        foreach (var (id, upgrade) in migrations)
        {
            var text = MigrationText.File(parent, upgrade);
            var parsed = MigrationFileParser.Parse($"/migrations/{id}.sql", Encoding.UTF8.GetBytes(text), Dialect);
            steps.Add(Revision.From(parsed.File ?? throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics))));
            parent = id;
        }

        return new MigrationPlan(MigrationDirection.Upgrade, steps);
    }
}
