using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Providers.History;

public class SqliteHistorySqlTests : HistorySqlTests
{
    protected override ISqlDialect Dialect => SqlDialects.Sqlite;

    protected override IDatabaseProvider Provider { get; } = new SqliteProvider();

    protected override string Table => "\"probeops_schema_history\"";

    protected override string ExpectedCreateHistory => """
        CREATE TABLE IF NOT EXISTS "probeops_schema_history" (
            revision TEXT NOT NULL PRIMARY KEY,
            parents TEXT NOT NULL,
            message TEXT,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            execution_ms INTEGER NOT NULL,
            deploy_id TEXT NOT NULL,
            backfill_statement INTEGER
        )
        """;

    protected override string ExpectedCreateAudit => """
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
            detail TEXT,
            environment TEXT
        )
        """;

    protected override string ExpectedRows => """
            ('20250514_base', '', 'create base schema', 'sha256:aa', '2025-05-14T12:00:00.0000000Z', 'deployer', 12, 'd-1'),
            ('20250515_tiers', '20250514_base,x', 'it''s new', 'sha256:bb', '2025-05-14T12:00:00.1234560Z', 'o''brien', 3000000000, 'd-1'),
            ('20250516_none', '20250515_tiers', NULL, 'sha256:cc', '2025-05-14T12:00:00.0000000Z', 'deployer', 0, 'd-1')
        """;

    protected override string ExpectedAuditValues =>
        "'d-1', 'upgrade', 'a,b', 'deployer', 'ci-01', '0.1.0', '2025-05-14T12:00:00.0000000Z', '2025-05-14T12:00:02.0000000Z', 'failed', 'relation \"x\" already exists', 'production'";

    protected override string ExpectedBegin => "BEGIN IMMEDIATE";

    protected override string ExpectedRowOrderKey => "rowid";

    protected override string AuditColumnType => "TEXT";

    [Fact]
    public void Table_names_with_double_quotes_are_doubled_and_the_schema_is_ignored()
    {
        var sql = new HistorySql(Dialect, new HistoryTableName("my\"history", "ignored"));

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"my\"\"history\" (", sql.CreateTables()[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"my\"\"history_audit\" (", sql.CreateTables()[1].Text, StringComparison.Ordinal);
        Assert.Equal("DELETE FROM \"my\"\"history\"", sql.DeleteAllApplied().Text);
        Assert.Null(sql.Schema);
    }

    [Fact]
    public void Every_table_keeps_its_order_by_rowid_so_no_column_is_added()
    {
        Assert.Null(Default.AddRowOrderColumn());
    }

    [Fact]
    public void Quoting_doubles_the_quote_character_and_keeps_backslashes()
    {
        Assert.Equal("\"a\"\"b\"", Dialect.QuoteIdentifier("a\"b"));
        Assert.Equal("'it''s'", Dialect.QuoteLiteral("it's"));
        Assert.Equal("'a\\b'", Dialect.QuoteLiteral("a\\b"));
    }

    [Fact]
    public void Timestamps_are_fixed_width_utc_text_that_reads_back_exactly()
    {
        var local = new DateTimeOffset(2025, 5, 14, 9, 30, 0, 123, TimeSpan.FromHours(2));

        Assert.Equal("'2025-05-14T07:30:00.1230000Z'", Dialect.TimestampLiteral(local));
        Assert.True(SqliteDialect.TryParseTimestamp("2025-05-14T07:30:00.1230000Z", out var read));
        Assert.Equal(local, read);
    }
}
