using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Providers.History;

/// <summary>
/// The history SQL template, as exact strings, for every dialect: each engine's subclass gives the dialect and
/// the text that differs (names, types, timestamps); every test runs for both.
/// </summary>
public abstract class HistorySqlTests
{
    protected static readonly DateTimeOffset Noon = new(2025, 5, 14, 12, 0, 0, TimeSpan.Zero);

    protected abstract ISqlDialect Dialect { get; }

    protected abstract IDatabaseProvider Provider { get; }

    /// <summary>The quoted history table of the default names.</summary>
    protected abstract string Table { get; }

    protected abstract string ExpectedCreateHistory { get; }

    protected abstract string ExpectedCreateAudit { get; }

    /// <summary>The three rows of <see cref="Rows"/> as <c>VALUES</c> lines.</summary>
    protected abstract string ExpectedRows { get; }

    protected abstract string ExpectedAuditValues { get; }

    protected abstract string ExpectedBegin { get; }

    protected abstract string ExpectedRowOrderKey { get; }

    /// <summary>The type of the audit table's text columns.</summary>
    protected abstract string AuditColumnType { get; }

    protected HistorySql Default => new(Dialect, new HistoryTableName());

    protected static AppliedRevision[] Rows =>
    [
        new AppliedRevision("20250514_base", [], "create base schema", "sha256:aa", Noon, "deployer", 12, "d-1"),
        new AppliedRevision("20250515_tiers", ["20250514_base", "x"], "it's new", "sha256:bb", Noon.AddTicks(1_234_560), "o'brien", 3_000_000_000, "d-1"),
        new AppliedRevision("20250516_none", ["20250515_tiers"], null, "sha256:cc", Noon.ToOffset(TimeSpan.FromHours(2)), "deployer", 0, "d-1"),
    ];

    [Fact]
    public void CreateTables_creates_the_history_then_the_audit_table_if_missing()
    {
        Assert.Equal([ExpectedCreateHistory, ExpectedCreateAudit], Default.CreateTables().Select(s => s.Text));
        Assert.Equal([ExpectedCreateHistory], Default.CreateHistoryTable().Select(s => s.Text));
        Assert.Equal([ExpectedCreateAudit], Default.CreateAuditTable().Select(s => s.Text));
        Assert.All(Default.CreateTables(), s => Assert.Equal(0, s.Line));
    }

    [Fact]
    public void InsertApplied_writes_every_row_in_one_statement_with_quoted_values_and_utc_timestamps()
    {
        var statement = Default.InsertApplied(Rows);

        Assert.Equal(
            $"INSERT INTO {Table} (revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id) VALUES\n{ExpectedRows}",
            statement.Text);
        Assert.Equal(0, statement.Line);
    }

    [Fact]
    public void Empty_row_and_revision_lists_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Default.InsertApplied([]));
        Assert.Throws<ArgumentException>(() => Default.DeleteApplied([]));
    }

    [Fact]
    public void Delete_statements_name_revisions_as_literals()
    {
        Assert.Equal($"DELETE FROM {Table} WHERE revision IN ('a', 'b''c')", Default.DeleteApplied(["a", "b'c"]).Text);
        Assert.Equal($"DELETE FROM {Table}", Default.DeleteAllApplied().Text);
    }

    [Fact]
    public void InsertAudit_writes_one_row_with_nullable_detail()
    {
        var entry = new AuditEntry(
            "d-1", AuditOperations.Upgrade, "deployer", "ci-01", "0.1.0", Noon, Noon.AddSeconds(2), AuditOutcomes.Failed,
            "a,b", "relation \"x\" already exists", "production");

        Assert.Equal(
            $"INSERT INTO {Table[..^1]}_audit\" (deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail, environment) VALUES ({ExpectedAuditValues})",
            Default.InsertAudit(entry).Text);
        Assert.EndsWith("'succeeded', NULL, NULL)", Default.InsertAudit(entry with { Outcome = AuditOutcomes.Succeeded, Detail = null, Environment = null }).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Transactions_begin_as_the_dialect_says_and_commit()
    {
        Assert.Equal(ExpectedBegin, Default.BeginTransaction().Text);
        Assert.Equal("COMMIT", Default.Commit().Text);
    }

    [Fact]
    public void SelectApplied_orders_by_applied_at_then_the_row_order_key()
    {
        const string Columns = "revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id";
        Assert.Equal($"SELECT {Columns}, backfill_statement FROM {Table} ORDER BY applied_at, {ExpectedRowOrderKey}", Default.SelectApplied().Text);
        Assert.Equal($"SELECT {Columns}, NULL FROM {Table} ORDER BY applied_at, revision", Default.SelectApplied(rowOrderKeyExists: false, backfillColumnExists: false).Text);
    }

    [Fact]
    public void A_backfilling_row_is_inserted_with_its_next_statement_and_moved_on_by_an_update()
    {
        var insert = Default.InsertApplied([Rows[0] with { BackfillStatement = 1 }, Rows[2]]).Text;

        Assert.Contains("execution_ms, deploy_id, backfill_statement) VALUES", insert, StringComparison.Ordinal);
        Assert.Contains("'d-1', 1),", insert, StringComparison.Ordinal);
        Assert.EndsWith("'d-1', NULL)", insert, StringComparison.Ordinal);
        Assert.Equal($"UPDATE {Table} SET backfill_statement = 2 WHERE revision = 'a''b'", Default.SetBackfillStatement("a'b", 2).Text);
        Assert.Equal($"UPDATE {Table} SET backfill_statement = NULL WHERE revision = 'a'", Default.SetBackfillStatement("a", null).Text);
    }

    [Fact]
    public void SelectAudit_orders_by_id()
    {
        Assert.EndsWith($"detail, environment FROM {Table[..^1]}_audit\" ORDER BY id", Default.SelectAudit().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_audit_table_from_before_the_environment_column_reads_it_as_null_and_gets_it_added()
    {
        Assert.EndsWith($"detail, NULL FROM {Table[..^1]}_audit\" ORDER BY id", Default.SelectAudit(environmentColumnExists: false).Text, StringComparison.Ordinal);
        Assert.Equal($"ALTER TABLE {Table[..^1]}_audit\" ADD COLUMN environment {AuditColumnType}", Default.AddAuditEnvironmentColumn().Text);
    }

    [Fact]
    public void The_provider_hands_out_this_template()
    {
        var sql = Provider.HistorySql(new HistoryTableName());

        Assert.Equal(Default.DeleteAllApplied().Text, sql.DeleteAllApplied().Text);
        Assert.Same(Dialect, Provider.Dialect);
    }
}
