using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public class SqliteHistorySqlTests
{
    private static readonly DateTimeOffset Applied = new(2025, 5, 14, 9, 30, 0, 123, TimeSpan.FromHours(2));

    private readonly SqliteHistorySql _sql = new(new HistoryTableName());

    [Fact]
    public void Create_tables_makes_history_and_audit_if_missing()
    {
        var statements = _sql.CreateTables();

        Assert.Equal(2, statements.Count);
        Assert.Equal(
            """
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
            """,
            statements[0].Text);
        Assert.Equal(
            """
            CREATE TABLE IF NOT EXISTS "probeops_schema_history_audit" (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                deploy_id TEXT NOT NULL,
                operation TEXT NOT NULL,
                revisions TEXT NOT NULL,
                applied_by TEXT NOT NULL,
                host TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT
            )
            """,
            statements[1].Text);
    }

    [Fact]
    public void Insert_applied_writes_every_row_in_one_statement_with_utc_timestamps()
    {
        var statement = _sql.InsertApplied(
        [
            new AppliedRevision("20250514_base", [], "Base", "abc", Applied, "ci", 12, "d-1"),
            new AppliedRevision("20250516_merge", ["20250515_a", "20250515_b"], null, "def", Applied, "o'neil", 0, "d-1"),
        ]);

        Assert.Equal(
            """
            INSERT INTO "probeops_schema_history" (revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id) VALUES
            ('20250514_base', '', 'Base', 'abc', '2025-05-14T07:30:00.1230000Z', 'ci', 12, 'd-1'),
            ('20250516_merge', '20250515_a,20250515_b', NULL, 'def', '2025-05-14T07:30:00.1230000Z', 'o''neil', 0, 'd-1')
            """,
            statement.Text);
    }

    [Fact]
    public void Delete_statements_name_revisions_as_literals()
    {
        Assert.Equal(
            "DELETE FROM \"probeops_schema_history\" WHERE revision IN ('a', 'b''c')",
            _sql.DeleteApplied(["a", "b'c"]).Text);
        Assert.Equal("DELETE FROM \"probeops_schema_history\"", _sql.DeleteAllApplied().Text);
    }

    [Fact]
    public void Insert_audit_writes_one_row()
    {
        var entry = new AuditEntry(
            "d-7", AuditOperations.Upgrade, "ci", "build-01", "0.1.0", Applied, Applied.AddSeconds(2),
            AuditOutcomes.Failed, "r1,r2", "no such table: x");

        Assert.Equal(
            """
            INSERT INTO "probeops_schema_history_audit" (deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail) VALUES
            ('d-7', 'upgrade', 'r1,r2', 'ci', 'build-01', '0.1.0', '2025-05-14T07:30:00.1230000Z', '2025-05-14T07:30:02.1230000Z', 'failed', 'no such table: x')
            """,
            _sql.InsertAudit(entry).Text);
    }

    [Fact]
    public void Table_names_with_double_quotes_are_doubled_and_the_schema_is_ignored()
    {
        var sql = new SqliteHistorySql(new HistoryTableName("my\"history", "ignored"));

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"my\"\"history\" (", sql.CreateTables()[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"my\"\"history_audit\" (", sql.CreateTables()[1].Text, StringComparison.Ordinal);
        Assert.Equal("DELETE FROM \"my\"\"history\"", sql.DeleteAllApplied().Text);
    }

    [Fact]
    public void Transactions_begin_immediate_and_commit()
    {
        Assert.Equal("BEGIN IMMEDIATE", _sql.BeginTransaction().Text);
        Assert.Equal("COMMIT", _sql.Commit().Text);
    }

    [Fact]
    public void Empty_row_lists_are_refused()
    {
        Assert.Throws<ArgumentException>(() => _sql.InsertApplied([]));
        Assert.Throws<ArgumentException>(() => _sql.DeleteApplied([]));
    }

    [Fact]
    public void Quoting_doubles_the_quote_character()
    {
        Assert.Equal("\"a\"\"b\"", SqliteHistorySql.QuoteIdentifier("a\"b"));
        Assert.Equal("'it''s'", SqliteHistorySql.QuoteLiteral("it's"));
        Assert.Equal("NULL", SqliteHistorySql.QuoteLiteral(null));
    }
}
