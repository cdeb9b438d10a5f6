using System.Runtime.Versioning;
using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Repeatables;

/// <summary>Repeatable migrations through the CLI process, on the test PostgreSQL cluster and on SQLite files.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepeatableCliTests
{
    public static TheoryData<string> Engines => new() { "postgresql", "sqlite" };

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_changed_repeatable_is_applied_again_and_an_unchanged_one_is_not(string engine)
    {
        await using var project = await RepeatableProject.CreateAsync(engine);
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("a_count", "INSERT INTO runs (name) VALUES ('a');");
        project.Repeatable("b_count", "INSERT INTO runs (name) VALUES ('b');");

        var first = await project.RunAsync("upgrade");
        var again = await project.RunAsync("upgrade");
        project.Repeatable("b_count", "-- now counted twice\nINSERT INTO runs (name) VALUES ('b');");
        var status = JsonDocument.Parse((await project.RunAsync("status", "--json")).Stdout).RootElement;
        var third = await project.RunAsync("upgrade");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Nothing to do", again.Stdout);
        var pending = Assert.Single(status.GetProperty("pendingRepeatables").EnumerateArray());
        Assert.Equal("b_count", pending.GetProperty("name").GetString());
        Assert.True(pending.GetProperty("changed").GetBoolean());
        Assert.False(status.GetProperty("upToDate").GetBoolean());
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM runs WHERE name = 'a'"));
        Assert.Equal(2, await project.CountAsync("SELECT count(*) FROM runs WHERE name = 'b'"));
        Assert.Equal(3, await project.CountAsync("SELECT count(*) FROM probeops_schema_history_repeatable"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_failing_repeatable_rolls_back_the_last_group_with_exit_8(string engine)
    {
        await using var project = await RepeatableProject.CreateAsync(engine);
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("a_fine", "INSERT INTO runs (name) VALUES ('a');");
        project.Repeatable("b_broken", "-- the table is misspelled\nINSERT INTO runz (name) VALUES ('b');");

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 8, output.ToString());
        Assert.Contains("repeatable/b_broken.sql:", output.Stderr);
        Assert.Contains("runz", output.Stderr);
        Assert.False(await project.TableExistsAsync("runs"));
        Assert.False(await project.TableExistsAsync("probeops_schema_history_repeatable"));
        Assert.False(await project.TableExistsAsync("probeops_schema_history"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Placeholders_are_replaced_in_code_and_strings_but_never_in_comments_or_dollar_quotes(string engine)
    {
        await using var project = await RepeatableProject.CreateAsync(engine);
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        var dollarQuoted = project.IsPostgreSql
            ? "CREATE OR REPLACE FUNCTION kept() RETURNS text LANGUAGE sql AS $$ SELECT '${inside_dollar_quotes}'::text $$;\n"
            : "";
        project.Repeatable("labels", dollarQuoted + """
            -- ${in_a_line_comment} is never looked at
            /* nor ${in_a_block_comment} */
            INSERT INTO runs (name) VALUES ('${label}'), ('$${escaped}'), ('${revision}');
            """);

        var output = await project.RunAsync("upgrade", "--placeholder", "label=from-flag");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM runs WHERE name = 'from-flag'"));
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM runs WHERE name = '${escaped}'"));
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM runs WHERE name = 'labels'"));
        if (project.IsPostgreSql)
        {
            Assert.Equal("${inside_dollar_quotes}", await project.ScalarAsync("SELECT kept()"));
        }

        var recorded = (string)(await project.ScalarAsync("SELECT sql FROM probeops_schema_history_repeatable"))!;
        Assert.Contains("'${label}'", recorded);
        Assert.DoesNotContain("from-flag", recorded);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Two_configurations_with_different_values_deploy_the_same_revision_without_a_checksum_mismatch(string engine)
    {
        await using var project = await RepeatableProject.CreateAsync(engine);
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);\nINSERT INTO runs (name) VALUES ('${app_role}');");
        project.Dir.Write("staging.json", """{ "migrations": "migrations", "placeholders": { "app_role": "staging_app" } }""");
        project.Dir.Write("production.json", """{ "migrations": "migrations", "placeholders": { "app_role": "production_app" } }""");

        var staging = await project.RunAsync("deploy", "--no-backup", "--config", "staging.json");
        var checksum = await project.ScalarAsync("SELECT checksum FROM probeops_schema_history");
        var production = await project.RunAsync("deploy", "--no-backup", "--config", "production.json");
        var status = JsonDocument.Parse((await project.RunAsync("status", "--json", "--config", "production.json")).Stdout).RootElement;

        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.True(production.ExitCode == 0, production.ToString());
        Assert.Equal(0, status.GetProperty("edited").GetArrayLength());
        Assert.True(status.GetProperty("upToDate").GetBoolean());
        Assert.Equal(checksum, await project.ScalarAsync("SELECT checksum FROM probeops_schema_history"));
        Assert.Equal("staging_app", await project.ScalarAsync("SELECT name FROM runs"));
    }

    [Fact]
    public async Task Deploy_stops_on_a_pending_repeatable_that_cannot_run_again_and_lint_names_its_file()
    {
        await using var project = await RepeatableProject.CreateAsync("postgresql");
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("views", "CREATE VIEW run_names AS SELECT name FROM runs;");

        var deploy = await project.RunAsync("deploy", "--no-backup");
        var changedByRefusedDeploy = await project.TableExistsAsync("runs");
        var lint = JsonDocument.Parse((await project.RunAsync("lint", "--json")).Stdout).RootElement;
        project.Repeatable("views", "CREATE OR REPLACE VIEW run_names AS SELECT name FROM runs;");
        var fixedDeploy = await project.RunAsync("deploy", "--no-backup");

        Assert.True(deploy.ExitCode == 3, deploy.ToString());
        Assert.Contains("PL191", deploy.All);
        Assert.Contains("repeatable/views.sql:2:1", deploy.All);
        Assert.False(changedByRefusedDeploy);
        var finding = Assert.Single(lint.GetProperty("findings").EnumerateArray());
        Assert.Equal("PL191", finding.GetProperty("code").GetString());
        Assert.Equal("repeatable/views", finding.GetProperty("revision").GetString());
        Assert.Equal("repeatable", finding.GetProperty("section").GetString());
        Assert.EndsWith("views.sql", finding.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, lint.GetProperty("repeatables").GetInt32());
        Assert.True(fixedDeploy.ExitCode == 0, fixedDeploy.ToString());
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM pg_views WHERE viewname = 'run_names'"));
    }

    [Fact]
    public async Task A_placeholder_without_a_value_is_exit_3_naming_file_and_line()
    {
        await using var project = await RepeatableProject.CreateAsync("sqlite");
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("grants", "INSERT INTO runs (name)\nVALUES ('${app_role}');", header: "-- message: grants\n\n");

        var upgrade = await project.RunAsync("upgrade");
        var validate = await project.RunAsync("validate");

        Assert.True(upgrade.ExitCode == 3, upgrade.ToString());
        Assert.True(validate.ExitCode == 3, validate.ToString());
        Assert.Contains("migrations/repeatable/grants.sql:5: error PM121: placeholder `${app_role}` has no value", validate.All);
        Assert.False(await project.TableExistsAsync("runs"));
    }
}
