using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Providers.History;

public class PostgreSqlHistorySqlTests : HistorySqlTests
{
    protected override ISqlDialect Dialect => SqlDialects.PostgreSql;

    protected override IDatabaseProvider Provider { get; } = new PostgreSqlProvider();

    protected override string Table => "\"public\".\"probeops_schema_history\"";

    protected override string ExpectedCreateHistory => """
        CREATE TABLE IF NOT EXISTS "public"."probeops_schema_history" (
            revision text NOT NULL PRIMARY KEY,
            parents text NOT NULL,
            message text,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL,
            applied_by text NOT NULL,
            execution_ms bigint NOT NULL,
            deploy_id text NOT NULL,
            id bigint GENERATED ALWAYS AS IDENTITY,
            backfill_statement bigint
        )
        """;

    protected override string ExpectedCreateAudit => """
        CREATE TABLE IF NOT EXISTS "public"."probeops_schema_history_audit" (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            deploy_id text NOT NULL,
            operation text NOT NULL,
            revisions text NOT NULL,
            applied_by text NOT NULL,
            host text NOT NULL,
            tool_version text NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            outcome text NOT NULL,
            detail text,
            environment text
        )
        """;

    protected override string ExpectedRows => """
            ('20250514_base', '', 'create base schema', 'sha256:aa', '2025-05-14 12:00:00.000000+00', 'deployer', 12, 'd-1'),
            ('20250515_tiers', '20250514_base,x', 'it''s new', 'sha256:bb', '2025-05-14 12:00:00.123456+00', 'o''brien', 3000000000, 'd-1'),
            ('20250516_none', '20250515_tiers', NULL, 'sha256:cc', '2025-05-14 12:00:00.000000+00', 'deployer', 0, 'd-1')
        """;

    protected override string ExpectedAuditValues =>
        "'d-1', 'upgrade', 'a,b', 'deployer', 'ci-01', '0.1.0', '2025-05-14 12:00:00.000000+00', '2025-05-14 12:00:02.000000+00', 'failed', 'relation \"x\" already exists', 'production'";

    protected override string ExpectedBegin => "BEGIN";

    protected override string ExpectedRowOrderKey => "id";

    protected override string AuditColumnType => "text";

    [Fact]
    public void CreateTables_in_a_named_schema_creates_the_schema_first()
    {
        var statements = new HistorySql(Dialect, new HistoryTableName("history", "ops")).CreateTables();

        Assert.Equal(3, statements.Count);
        Assert.Equal("DO $$BEGIN IF to_regnamespace('\"ops\"') IS NULL THEN CREATE SCHEMA \"ops\"; END IF; END$$", statements[0].Text);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"ops\".\"history\" (", statements[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"ops\".\"history_audit\" (", statements[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_public_schema_is_not_created()
    {
        var statements = new HistorySql(Dialect, new HistoryTableName(Schema: "public")).CreateTables();

        Assert.Equal(2, statements.Count);
    }

    [Fact]
    public void A_quote_in_the_table_name_is_doubled_everywhere()
    {
        var sql = new HistorySql(Dialect, new HistoryTableName("we\"ird", "my schema"));

        Assert.Equal("\"my schema\".\"we\"\"ird\"", sql.HistoryTable);
        Assert.Equal("\"my schema\".\"we\"\"ird_audit\"", sql.AuditTable);
        Assert.Equal("DELETE FROM \"my schema\".\"we\"\"ird\"", sql.DeleteAllApplied().Text);
        Assert.Equal(
            "SELECT to_regclass('\"my schema\".\"we\"\"ird\"') IS NOT NULL, to_regclass('\"my schema\".\"we\"\"ird_audit\"') IS NOT NULL, "
            + "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('\"my schema\".\"we\"\"ird\"') AND attname = 'id' AND NOT attisdropped), "
            + "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('\"my schema\".\"we\"\"ird\"') AND attname = 'backfill_statement' AND NOT attisdropped), "
            + "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('\"my schema\".\"we\"\"ird_audit\"') AND attname = 'environment' AND NOT attisdropped)",
            PostgreSqlHistoryStore.SelectTablesExist(sql));
    }

    [Fact]
    public void A_backslash_in_a_value_is_written_as_an_escape_string()
    {
        var row = Rows[1] with { Message = "it's \\ new" };

        Assert.Contains(", E'it''s \\\\ new', ", Default.InsertApplied([row]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_row_order_key_is_an_identity_column_added_to_older_tables()
    {
        Assert.Equal(
            "ALTER TABLE \"public\".\"probeops_schema_history\" ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY",
            Default.AddRowOrderColumn()?.Text);
        Assert.Equal(
            "ALTER TABLE \"public\".\"probeops_schema_history\" ADD COLUMN backfill_statement bigint",
            Default.AddBackfillColumn().Text);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("Mixed Case", "\"Mixed Case\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("\"", "\"\"\"\"")]
    public void QuoteIdentifier_wraps_in_double_quotes_and_doubles_embedded_ones(string name, string expected)
    {
        Assert.Equal(expected, PostgreSqlSyntax.QuoteIdentifier(name));
        Assert.Equal(expected, Dialect.QuoteIdentifier(name));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("back\\slash", "E'back\\\\slash'")]
    [InlineData("", "''")]
    public void QuoteLiteral_doubles_quotes_and_escapes_backslashes(string value, string expected)
    {
        Assert.Equal(expected, PostgreSqlSyntax.QuoteLiteral(value));
        Assert.Equal(expected, Dialect.QuoteLiteral(value));
    }

    [Fact]
    public void Nul_characters_and_empty_names_are_refused()
    {
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteLiteral("a\0b")).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteIdentifier("a\0b")).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteIdentifier("")).Kind);
    }

    [Fact]
    public void The_provider_hands_out_this_generator_for_the_configured_schema()
    {
        var sql = Provider.HistorySql(new HistoryTableName("h", "s"));

        Assert.Equal("DELETE FROM \"s\".\"h\"", sql.DeleteAllApplied().Text);
    }
}
