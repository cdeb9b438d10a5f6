using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlHistorySqlTests
{
    private static readonly DateTimeOffset Noon = new(2025, 5, 14, 12, 0, 0, TimeSpan.Zero);

    private static readonly PostgreSqlHistorySql Default = new(new HistoryTableName());

    [Fact]
    public void CreateTables_in_the_default_schema_creates_both_tables_if_missing()
    {
        var statements = Default.CreateTables().Select(s => s.Text).ToList();

        Assert.Equal(
            [
                """
                CREATE TABLE IF NOT EXISTS "public"."probeops_schema_history" (
                    revision text PRIMARY KEY,
                    parents text NOT NULL,
                    message text,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL,
                    applied_by text NOT NULL,
                    execution_ms bigint NOT NULL,
                    deploy_id text NOT NULL
                )
                """,
                """
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
                    detail text
                )
                """,
            ],
            statements);
    }

    [Fact]
    public void CreateTables_in_a_named_schema_creates_the_schema_first()
    {
        var statements = new PostgreSqlHistorySql(new HistoryTableName("history", "ops")).CreateTables();

        Assert.Equal(3, statements.Count);
        Assert.Equal("CREATE SCHEMA IF NOT EXISTS \"ops\"", statements[0].Text);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"ops\".\"history\" (", statements[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"ops\".\"history_audit\" (", statements[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_public_schema_is_not_created()
    {
        var statements = new PostgreSqlHistorySql(new HistoryTableName(Schema: "public")).CreateTables();

        Assert.Equal(2, statements.Count);
    }

    [Fact]
    public void A_quote_in_the_table_name_is_doubled_everywhere()
    {
        var sql = new PostgreSqlHistorySql(new HistoryTableName("we\"ird", "my schema"));

        Assert.Equal("\"my schema\".\"we\"\"ird\"", sql.HistoryTable);
        Assert.Equal("\"my schema\".\"we\"\"ird_audit\"", sql.AuditTable);
        Assert.Equal("DELETE FROM \"my schema\".\"we\"\"ird\"", sql.DeleteAllApplied().Text);
        Assert.Equal(
            "SELECT to_regclass('\"my schema\".\"we\"\"ird\"') IS NOT NULL, to_regclass('\"my schema\".\"we\"\"ird_audit\"') IS NOT NULL",
            sql.SelectTablesExist().Text);
    }

    [Fact]
    public void InsertApplied_writes_every_row_in_one_statement_with_quoted_values()
    {
        var rows = new[]
        {
            new AppliedRevision("20250514_base", [], "create base schema", "sha256:aa", Noon, "deployer", 12, "d-1"),
            new AppliedRevision(
                "20250515_tiers", ["20250514_base", "x"], "it's \\ new", "sha256:bb",
                Noon.AddTicks(1_234_567), "o'brien", 3_000_000_000, "d-1"),
            new AppliedRevision("20250516_none", ["20250515_tiers"], null, "sha256:cc", Noon.ToOffset(TimeSpan.FromHours(2)), "deployer", 0, "d-1"),
        };

        var statement = Default.InsertApplied(rows);

        Assert.Equal(
            """
            INSERT INTO "public"."probeops_schema_history" (revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id) VALUES
                ('20250514_base', '', 'create base schema', 'sha256:aa', '2025-05-14 12:00:00.000000+00', 'deployer', 12, 'd-1'),
                ('20250515_tiers', '20250514_base,x', E'it''s \\ new', 'sha256:bb', '2025-05-14 12:00:00.123456+00', 'o''brien', 3000000000, 'd-1'),
                ('20250516_none', '20250515_tiers', NULL, 'sha256:cc', '2025-05-14 12:00:00.000000+00', 'deployer', 0, 'd-1')
            """,
            statement.Text);
        Assert.Equal(0, statement.Line);
    }

    [Fact]
    public void InsertApplied_needs_at_least_one_row()
    {
        Assert.Throws<ArgumentException>(() => Default.InsertApplied([]));
    }

    [Fact]
    public void DeleteApplied_removes_the_listed_revisions_in_one_statement()
    {
        Assert.Equal(
            "DELETE FROM \"public\".\"probeops_schema_history\" WHERE revision IN ('a', 'b''c')",
            Default.DeleteApplied(["a", "b'c"]).Text);
        Assert.Equal("DELETE FROM \"public\".\"probeops_schema_history\" WHERE false", Default.DeleteApplied([]).Text);
    }

    [Fact]
    public void InsertAudit_writes_one_row_with_nullable_detail()
    {
        var entry = new AuditEntry(
            "d-1", AuditOperations.Upgrade, "deployer", "ci-01", "0.1.0", Noon, Noon.AddSeconds(2), AuditOutcomes.Failed,
            "a,b", "relation \"x\" already exists");

        Assert.Equal(
            "INSERT INTO \"public\".\"probeops_schema_history_audit\" (deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail) " +
            "VALUES ('d-1', 'upgrade', 'a,b', 'deployer', 'ci-01', '0.1.0', '2025-05-14 12:00:00.000000+00', '2025-05-14 12:00:02.000000+00', 'failed', 'relation \"x\" already exists')",
            Default.InsertAudit(entry).Text);
        Assert.EndsWith("'succeeded', NULL)", Default.InsertAudit(entry with { Outcome = AuditOutcomes.Succeeded, Detail = null }).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Transaction_statements_are_plain_begin_and_commit()
    {
        Assert.Equal("BEGIN", Default.BeginTransaction().Text);
        Assert.Equal("COMMIT", Default.Commit().Text);
    }

    [Fact]
    public void SelectApplied_orders_by_applied_at_then_revision()
    {
        Assert.Equal(
            "SELECT revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id FROM \"public\".\"probeops_schema_history\" ORDER BY applied_at, revision",
            Default.SelectApplied().Text);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("Mixed Case", "\"Mixed Case\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    [InlineData("\"", "\"\"\"\"")]
    public void QuoteIdentifier_wraps_in_double_quotes_and_doubles_embedded_ones(string name, string expected)
    {
        Assert.Equal(expected, PostgreSqlSyntax.QuoteIdentifier(name));
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("back\\slash", "E'back\\\\slash'")]
    [InlineData("", "''")]
    public void QuoteLiteral_doubles_quotes_and_escapes_backslashes(string value, string expected)
    {
        Assert.Equal(expected, PostgreSqlSyntax.QuoteLiteral(value));
    }

    [Fact]
    public void Nul_characters_and_empty_names_are_refused()
    {
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteLiteral("a\0b")).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteIdentifier("a\0b")).Kind);
        Assert.Equal(FailureKind.Usage, Assert.Throws<MigrateException>(() => PostgreSqlSyntax.QuoteIdentifier("")).Kind);
    }

    [Fact]
    public void The_provider_hands_out_this_generator()
    {
        var sql = new PostgreSqlProvider().HistorySql(new HistoryTableName("h", "s"));

        Assert.Equal("DELETE FROM \"s\".\"h\"", sql.DeleteAllApplied().Text);
    }
}
