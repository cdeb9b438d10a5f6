using ProbeOps.Migrate.Lint;
using static ProbeOps.Migrate.Tests.Lint.LintTestSupport;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>Each rule's true positives and the look-alikes it must leave alone, on tables an ancestor created.</summary>
public sealed class LintRuleTests
{
    [Theory]
    [InlineData("CREATE INDEX ix_accounts_email ON accounts (email);", "PL101")]
    [InlineData("CREATE UNIQUE INDEX IF NOT EXISTS ix ON public.accounts (email);", "PL101")]
    [InlineData("ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();", "PL111")]
    [InlineData("ALTER TABLE accounts ADD COLUMN seen timestamptz DEFAULT clock_timestamp();", "PL111")]
    [InlineData("ALTER TABLE accounts ADD COLUMN r float8 DEFAULT random();", "PL111")]
    [InlineData("ALTER TABLE accounts ADD COLUMN seq bigserial;", "PL113")]
    [InlineData("ALTER TABLE accounts ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;", "PL113")]
    [InlineData("ALTER TABLE accounts ADD COLUMN twice int GENERATED ALWAYS AS (score * 2) STORED;", "PL113")]
    [InlineData("ALTER TABLE accounts ADD COLUMN plan text NOT NULL;", "PL114")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;", "PL121")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id);", "PL122")]
    [InlineData("ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0);", "PL123")]
    [InlineData("ALTER TABLE accounts ADD CONSTRAINT c CHECK (score > 0) NOT VALID;\nALTER TABLE accounts VALIDATE CONSTRAINT c;", "PL124")]
    [InlineData("ALTER TABLE accounts ADD CONSTRAINT uq UNIQUE (email);", "PL125")]
    [InlineData("ALTER TABLE accounts ADD PRIMARY KEY (id);", "PL125")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN balance TYPE float8;", "PL131")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN name TYPE varchar(50);", "PL131")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE varchar(20);", "PL131")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN score TYPE bigint;", "PL131")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(12,4);", "PL131")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN score SET DATA TYPE text USING score::text;", "PL131")]
    [InlineData("CLUSTER accounts USING accounts_pkey;", "PL142")]
    [InlineData("ALTER TABLE accounts SET UNLOGGED;", "PL143")]
    [InlineData("ALTER TABLE accounts SET LOGGED;", "PL143")]
    [InlineData("TRUNCATE accounts;", "PL144")]
    [InlineData("DROP TABLE orders;", "PL151")]
    [InlineData("ALTER TABLE accounts DROP COLUMN status;", "PL152")]
    [InlineData("ALTER TABLE accounts RENAME COLUMN name TO full_name;", "PL153")]
    [InlineData("ALTER TABLE accounts RENAME TO customers;", "PL153")]
    [InlineData("DROP INDEX accounts_pkey;", "PL102")]
    [InlineData("REINDEX TABLE accounts;", "PL103")]
    [InlineData("UPDATE accounts SET status = 'active';", "PL181")]
    [InlineData("DELETE FROM orders;", "PL181")]
    [InlineData("UPDATE accounts SET status = 'x' WHERE status IS NULL;", "PL181")]
    [InlineData("ALTER TYPE mood ADD VALUE 'happy';\nUPDATE accounts SET status = 'happy' WHERE id = 1;", "PL161")]
    public void Flags_the_dangerous_statement(string sql, string code) =>
        Assert.Equal(code, Codes(LintChild(sql)));

    [Theory]
    [InlineData("CREATE TABLE t (id int);\nCREATE INDEX ix_t ON t (id);")]
    [InlineData("ALTER TABLE accounts ADD COLUMN note text;")]
    [InlineData("ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free';")]
    [InlineData("ALTER TABLE accounts ADD COLUMN seen timestamptz DEFAULT now();")]
    [InlineData("ALTER TABLE accounts ADD COLUMN note text DEFAULT NULL;")]
    [InlineData("ALTER TABLE accounts ADD COLUMN \"random\" text DEFAULT 'random()';")]
    [InlineData("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();")]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;")]
    [InlineData("ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT VALID;")]
    [InlineData("ALTER TABLE accounts ADD CONSTRAINT uq UNIQUE USING INDEX ix_accounts_email;")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE varchar(200);")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE text;")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE character varying;")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(14,2);")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN balance TYPE decimal;")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN id SET NOT NULL;")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN name SET DEFAULT 'x', ALTER COLUMN status DROP NOT NULL;")]
    [InlineData("UPDATE accounts SET status = 'active' WHERE id = 42;")]
    [InlineData("UPDATE accounts SET status = 'x' WHERE id IN (SELECT id FROM accounts WHERE status IS NULL LIMIT 5000);")]
    [InlineData("CREATE TABLE t (id int);\nUPDATE t SET id = 1;\nDROP TABLE t;")]
    [InlineData("-- CREATE INDEX ix ON accounts (email);\nSELECT 'CREATE INDEX ix ON accounts (email)';")]
    [InlineData("INSERT INTO accounts (id, status) VALUES (1, 'happy');")]
    [InlineData("ALTER TYPE mood ADD VALUE 'happy';")]
    [InlineData("CREATE TYPE feeling AS ENUM ('fine');\nALTER TYPE feeling ADD VALUE 'great';\nCREATE TABLE f (x feeling DEFAULT 'great');")]
    public void Leaves_the_safe_look_alike_alone(string sql) =>
        Assert.Equal("", Codes(LintChild(sql)));

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY ix ON accounts (email);", "PL104")]
    [InlineData("CREATE INDEX CONCURRENTLY ON accounts (email);", "PL104")]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON accounts (email);", "")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS ix;", "")]
    [InlineData("VACUUM FULL accounts;", "PL141")]
    [InlineData("VACUUM (FULL, ANALYZE) accounts;", "PL141")]
    [InlineData("VACUUM (FULL false) accounts;", "")]
    [InlineData("VACUUM ANALYZE accounts;", "")]
    [InlineData("REINDEX INDEX CONCURRENTLY accounts_pkey;", "")]
    [InlineData("REINDEX (CONCURRENTLY) TABLE accounts;", "")]
    public void Checks_non_transactional_sections(string sql, string codes) =>
        Assert.Equal(codes, Codes(LintChild(sql, transactional: false)));

    [Fact]
    public void Set_not_null_behind_a_check_validated_by_an_earlier_migration_is_not_flagged_from_postgresql_12()
    {
        var graph = BuildGraph(
        [
            Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema)),
            Parse("20250102_check.sql", Migration("20250102_check", "20250101_base", "ALTER TABLE accounts ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;")),
            Parse("20250103_validate.sql", Migration("20250103_validate", "20250102_check", "ALTER TABLE accounts VALIDATE CONSTRAINT name_nn;")),
            Parse("20250104_set.sql", Migration("20250104_set", "20250103_validate", "ALTER TABLE \"accounts\" ALTER COLUMN \"name\" SET NOT NULL;")),
        ]);
        var linter = new MigrationLinter();
        Assert.Equal("", Codes(linter.Lint(graph, [graph["20250104_set"]], new LintOptions())));
        Assert.Equal("PL121", Codes(linter.Lint(graph, [graph["20250104_set"]], new LintOptions { ServerVersion = new Version(11, 9) })));

        // The recommended pattern itself raises nothing in any of its steps.
        Assert.Equal("", Codes(linter.Lint(graph, graph.TopologicalOrder, new LintOptions())));
    }

    [Fact]
    public void A_check_validated_on_a_sibling_branch_does_not_count()
    {
        var graph = BuildGraph(
        [
            Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema)),
            Parse("20250102_check.sql", Migration("20250102_check", "20250101_base", "ALTER TABLE accounts ADD CONSTRAINT name_nn CHECK ((name IS NOT NULL));")),
            Parse("20250103_set.sql", Migration("20250103_set", "20250101_base", "ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;")),
        ]);
        var report = new MigrationLinter().Lint(graph, [graph["20250103_set"]], new LintOptions());
        Assert.Equal("PL121", Codes(report));
    }

    [Fact]
    public void The_server_version_decides_the_rules_that_changed_with_postgresql_11_and_12()
    {
        var old = new LintOptions { ServerVersion = new Version(10, 23) };
        Assert.Equal("PL112", Codes(LintChild("ALTER TABLE accounts ADD COLUMN plan text DEFAULT 'free';", old)));
        Assert.Equal("", Codes(LintChild("ALTER TABLE accounts ADD COLUMN plan text DEFAULT 'free';", new LintOptions { ServerVersion = new Version(11, 0) })));
        Assert.Equal("PL162", Codes(LintChild("ALTER TYPE mood ADD VALUE 'happy';", new LintOptions { ServerVersion = new Version(11, 22) })));
        Assert.Equal("", Codes(LintChild("ALTER TYPE mood ADD VALUE 'happy';", new LintOptions { ServerVersion = new Version(11, 22) }, transactional: false)));
    }

    [Fact]
    public void A_type_change_of_a_column_lint_does_not_know_is_a_warning()
    {
        var report = LintChild("ALTER TABLE legacy ALTER COLUMN c TYPE text;");
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("PL131", LintSeverity.Warning), (finding.Code, finding.Severity));
    }

    [Fact]
    public void A_finding_carries_position_lock_blocks_fix_and_the_statement()
    {
        var report = LintChild("-- why\n  ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();");
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("20250102_change", "20250102_change.sql"), (finding.Revision, finding.File));
        Assert.Equal((6, 3), (finding.Line, finding.Column));
        Assert.Equal(("ACCESS EXCLUSIVE", "reads and writes"), (finding.Lock, finding.Blocks));
        Assert.Contains("backfill", finding.Fix, StringComparison.Ordinal);
        Assert.StartsWith("ALTER TABLE accounts", finding.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_severities_and_disabled_rules_apply()
    {
        var options = new LintOptions
        {
            SeverityOverrides = new Dictionary<string, LintSeverity> { ["PL101"] = LintSeverity.Notice },
            DisabledRules = new HashSet<string> { "PL152" },
        };
        var report = LintChild("CREATE INDEX ix ON accounts (email);\nALTER TABLE accounts DROP COLUMN status;", options);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("PL101", LintSeverity.Notice), (finding.Code, finding.Severity));
    }
}
