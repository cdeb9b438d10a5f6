using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Sql;
using static ProbeOps.Migrate.Tests.Lint.LintTestSupport;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>Backfill sections and repeatable migrations are linted too, each with the rule that belongs to it.</summary>
public sealed class LintSectionTests
{
    private const string Upgrade = "ALTER TABLE accounts ADD COLUMN plan text;";

    [Theory]
    [InlineData("UPDATE accounts SET plan = 'basic' WHERE plan IS NULL;")]
    [InlineData("UPDATE accounts SET plan = 'basic';")]
    [InlineData("DELETE FROM orders WHERE account_id IS NULL;")]
    [InlineData("INSERT INTO orders (id, account_id) SELECT id, id FROM accounts;")]
    [InlineData("WITH todo AS (SELECT id FROM accounts WHERE plan IS NULL)\nUPDATE accounts a SET plan = 'basic' FROM todo WHERE a.id = todo.id;")]
    public void A_backfill_statement_that_does_not_bound_its_rows_is_an_error_at_its_line(string statement)
    {
        var report = LintBackfill(statement);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("PL182", finding.Code);
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(LintSection.Backfill, finding.Section);
        Assert.Equal("20250102_change.sql", Path.GetFileName(finding.File));
        Assert.Equal(8, finding.Line);
        Assert.Equal(1, finding.Column);
    }

    [Theory]
    [InlineData("UPDATE accounts SET plan = 'basic'\nWHERE id IN (SELECT id FROM accounts WHERE plan IS NULL LIMIT 5000);")]
    [InlineData("UPDATE accounts SET plan = 'basic'\nWHERE id IN (SELECT id FROM accounts WHERE plan IS NULL LIMIT 5000 FOR UPDATE SKIP LOCKED);")]
    [InlineData("UPDATE accounts SET plan = 'basic'\nWHERE id IN (SELECT id FROM accounts WHERE plan IS NULL FETCH FIRST 5000 ROWS ONLY);")]
    [InlineData("WITH batch AS (SELECT id FROM accounts WHERE id > (SELECT last_id FROM cursor) ORDER BY id LIMIT 5000)\nUPDATE accounts a SET plan = 'basic' FROM batch WHERE a.id = batch.id;")]
    [InlineData("UPDATE accounts SET plan = 'basic'\nWHERE id > (SELECT last_id FROM cursor) AND id <= (SELECT last_id FROM cursor) + 5000;")]
    public void A_bounded_backfill_statement_is_not_flagged(string statement) =>
        Assert.Empty(LintBackfill(statement).Findings);

    [Fact]
    public void The_unbounded_update_rule_of_upgrade_sections_does_not_fire_in_a_backfill_and_other_rules_do()
    {
        var report = LintBackfill("UPDATE accounts SET plan = 'basic' WHERE id IN (SELECT id FROM accounts LIMIT 10);\nCREATE INDEX ix_plan ON accounts (plan);");

        var finding = Assert.Single(report.Findings);
        Assert.Equal("PL101", finding.Code);
        Assert.Equal(9, finding.Line);
    }

    [Theory]
    [InlineData("INSERT INTO orders (id, account_id) SELECT id, id FROM accounts;")]
    [InlineData("UPDATE accounts SET plan = 'basic';")]
    [InlineData("DELETE FROM orders;")]
    public void An_unbounded_data_change_in_an_upgrade_section_is_a_warning_pointing_at_backfills(string statement)
    {
        var finding = Assert.Single(LintChild(statement).Findings);

        Assert.Equal("PL181", finding.Code);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("-- migrate:backfill", finding.Fix);
        Assert.Contains("docs/backfills.md", finding.Fix);
    }

    [Theory]
    [InlineData("INSERT INTO orders (id, account_id) VALUES (1, 1);")]
    [InlineData("CREATE TABLE copies (id bigint);\nINSERT INTO copies SELECT id FROM copies LIMIT 10;")]
    [InlineData("UPDATE accounts SET plan = 'basic' WHERE id = 42;")]
    public void A_bounded_data_change_in_an_upgrade_section_is_not_flagged(string statement) =>
        Assert.Empty(LintChild(statement).Findings);

    [Theory]
    [InlineData("CREATE VIEW active AS SELECT * FROM accounts;", "CREATE VIEW")]
    [InlineData("CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", "CREATE FUNCTION")]
    [InlineData("CREATE PROCEDURE touch() LANGUAGE sql AS $$ SELECT 1 $$;", "CREATE PROCEDURE")]
    [InlineData("CREATE TABLE IF NOT EXISTS kept (id int);\nCREATE TABLE extra (id int);", "CREATE TABLE")]
    [InlineData("CREATE MATERIALIZED VIEW IF NOT EXISTS totals AS SELECT count(*) FROM accounts;", "CREATE MATERIALIZED VIEW")]
    [InlineData("DROP VIEW old_view;", "DROP VIEW")]
    [InlineData("CREATE TYPE pair AS (a int, b int);", "CREATE TYPE")]
    public void A_repeatable_statement_that_fails_when_run_again_is_an_error_naming_the_file(string sql, string start)
    {
        var report = LintRepeatable(sql);

        var finding = Assert.Single(report.Findings);
        Assert.Equal("PL191", finding.Code);
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal(LintSection.Repeatable, finding.Section);
        Assert.Equal("repeatable/views", finding.Revision);
        Assert.Equal("views.sql", Path.GetFileName(finding.File));
        Assert.StartsWith(start, finding.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.RepeatablesLinted);
    }

    [Theory]
    [InlineData("CREATE OR REPLACE VIEW active AS SELECT * FROM accounts;")]
    [InlineData("DROP VIEW IF EXISTS active;\nCREATE VIEW active AS SELECT * FROM accounts;")]
    [InlineData("CREATE OR REPLACE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;")]
    [InlineData("DROP MATERIALIZED VIEW IF EXISTS totals;\nCREATE MATERIALIZED VIEW totals AS SELECT count(*) FROM accounts;")]
    [InlineData("CREATE TABLE IF NOT EXISTS kept (id int);\nGRANT SELECT ON accounts TO PUBLIC;")]
    [InlineData("DROP FUNCTION IF EXISTS one(int), two(text);\nCREATE FUNCTION two() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;")]
    public void A_repeatable_written_to_run_again_is_not_flagged(string sql) =>
        Assert.Empty(LintRepeatable(sql).Findings);

    [Fact]
    public void A_repeatable_is_checked_after_every_revision_and_sees_what_they_did()
    {
        // accounts exists (an ancestor created it), so an index build on it in a repeatable blocks writes.
        var report = LintRepeatable("CREATE INDEX IF NOT EXISTS ix_name ON accounts (name);");

        Assert.Equal("PL101", Assert.Single(report.Findings).Code);
    }

    private static LintReport LintBackfill(string backfill)
    {
        var text = Migration("20250102_change", "20250101_base", Upgrade) + "\n\n-- migrate:backfill\n" + backfill + "\n";
        var graph = BuildGraph(
        [
            Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema)),
            Parse("20250102_change.sql", text),
        ]);
        return new MigrationLinter().Lint(graph, [graph["20250102_change"]], new LintOptions());
    }

    private static LintReport LintRepeatable(string sql)
    {
        var graph = BuildGraph([Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema))]);
        var parsed = RepeatableFileParser.Parse("migrations/repeatable/views.sql", System.Text.Encoding.UTF8.GetBytes("-- migrate:upgrade\n" + sql + "\n"), SqlDialects.PostgreSql);
        return new MigrationLinter().Lint(graph, [], new LintOptions(), [Assert.IsType<RepeatableMigration>(parsed.Repeatable)]);
    }
}
