using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>Named environments through the real process: each reaches its own database, is named everywhere, and keeps its secrets.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class EnvironmentCliTests
{
    [Fact]
    public async Task Each_environment_reaches_its_own_database_and_names_itself_in_its_audit_rows()
    {
        await using var project = await EnvironmentProject.CreateAsync();

        var development = await project.RunAsync("upgrade", "--env", "development");
        var staging = await project.RunAsync(new Dictionary<string, string?> { ["PROBEOPS_ENV"] = "staging" }, "upgrade");

        Assert.True(development.ExitCode == 0, development.ToString());
        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.Equal(EnvironmentProject.First, await project.SqliteScalarAsync("SELECT group_concat(revision) FROM probeops_schema_history"));
        Assert.Equal("development", await project.SqliteScalarAsync("SELECT group_concat(environment) FROM probeops_schema_history_audit"));
        Assert.Equal("accounts,probeops_schema_history,probeops_schema_history_audit,probeops_schema_history_schema | 20250101_accounts | 1", await project.StateAsync(project.Staging));
        Assert.Equal("staging", await project.ScalarAsync(project.Staging, "SELECT string_agg(environment, ',') FROM probeops_schema_history_audit"));
        Assert.Null(await project.ScalarAsync(project.Production, "SELECT to_regclass('public.probeops_schema_history')::text"));
        Assert.False(File.Exists(project.Dir.Combine("top.db")), "the top-level database was used");

        // --env beats PROBEOPS_ENV, like every flag beats its variable.
        var production = await project.RunAsync(new Dictionary<string, string?> { ["PROBEOPS_ENV"] = "staging" }, "deploy", "--env", "production");

        Assert.True(production.ExitCode == 0, production.ToString());
        Assert.Equal("accounts,probeops_schema_history,probeops_schema_history_audit,probeops_schema_history_schema | 20250101_accounts | 1", await project.StateAsync(project.Production));
        Assert.Equal("production", await project.ScalarAsync(project.Production, "SELECT string_agg(environment, ',') FROM probeops_schema_history_audit"));
        Assert.Equal("1", await project.ScalarAsync(project.Staging, "SELECT count(*) FROM probeops_schema_history_audit"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Without_an_environment_the_top_level_settings_apply_and_no_environment_is_recorded()
    {
        await using var project = await EnvironmentProject.CreateAsync();

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.True(File.Exists(project.Dir.Combine("top.db")));
        Assert.False(File.Exists(project.DevelopmentFile));
    }

    [Fact]
    public async Task An_unknown_environment_is_a_usage_error_listing_the_known_ones_before_anything_is_touched()
    {
        await using var project = await EnvironmentProject.CreateAsync();

        var flag = await project.RunAsync("upgrade", "--env", "prod");
        var variable = await project.RunAsync(new Dictionary<string, string?> { ["PROBEOPS_ENV"] = "qa" }, "status", "--json");

        Assert.True(flag.ExitCode == 2, flag.ToString());
        var line = Assert.Single(flag.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Unknown environment 'prod' (--env)", line);
        Assert.Contains("development, staging, production", line);
        Assert.Equal(2, variable.ExitCode);
        Assert.Contains("Unknown environment 'qa' (PROBEOPS_ENV)", JsonDocument.Parse(variable.Stdout).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.False(File.Exists(project.Dir.Combine("top.db")));
        Assert.False(File.Exists(project.DevelopmentFile));
        Assert.Null(await project.ScalarAsync(project.Staging, "SELECT to_regclass('public.probeops_schema_history_audit')::text"));
    }

    [Fact]
    public async Task A_missing_variable_is_a_usage_error_naming_it_and_only_the_selected_environment_needs_its_variables()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        var unset = new Dictionary<string, string?> { ["PROD_DB_PASSWORD"] = null, ["STAGING_DB_PASSWORD"] = null };

        var missing = await project.RunAsync(unset, "status", "--env", "production");
        var development = await project.RunAsync(unset, "upgrade", "--env", "development");

        Assert.True(missing.ExitCode == 2, missing.ToString());
        var line = Assert.Single(missing.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"database\" of environment production uses ${PROD_DB_PASSWORD}", line);
        Assert.Contains("PROD_DB_PASSWORD is not set", line);
        Assert.DoesNotContain(project.User + ":", line);
        Assert.True(development.ExitCode == 0, development.ToString());
    }

    [Fact]
    public async Task Status_and_preflight_name_the_environment_in_their_first_line_and_reports_carry_it()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("upgrade", "--env", "staging")).ExitCode);
        project.AddSecondMigration();

        var status = await project.RunAsync("status", "--env", "production");
        var statusJson = await project.RunAsync("status", "--env", "staging", "--json");
        var preflight = await project.RunAsync("preflight", "--env", "staging");
        var deploy = await project.RunAsync("deploy", "--env", "staging", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("Environment: production (protected)", status.Stdout.Split('\n')[0]);
        Assert.Equal("staging", JsonDocument.Parse(statusJson.Stdout).RootElement.GetProperty("environment").GetString());
        Assert.True(preflight.ExitCode == 0, preflight.ToString());
        Assert.Equal("Preflight in environment staging", preflight.Stderr.Split('\n')[0]);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("staging", JsonDocument.Parse(deploy.Stdout).RootElement.GetProperty("environment").GetString());
        var stem = Path.ChangeExtension(Assert.Single(Directory.GetFiles(project.LogsDirectory, "*.json")), null);
        Assert.Equal("staging", JsonDocument.Parse(File.ReadAllText(stem + ".json")).RootElement.GetProperty("environment").GetString());
        Assert.Contains("environment staging\n", File.ReadAllText(stem + ".log"));
        Assert.Contains("environment `staging`", File.ReadAllText(stem + ".md"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task A_password_given_through_a_variable_shows_in_no_output_log_or_report_even_when_it_is_wrong()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("upgrade", "--env", "staging")).ExitCode);
        project.WriteMigration(
            $"{EnvironmentProject.Second}.sql",
            MigrationText.File(EnvironmentProject.First, "CREATE TABLE orders (id int);\nINSERT INTO accounts VALUES (1), (1);"));

        var outputs = new List<CliOutput>
        {
            await project.RunAsync("deploy", "--env", "staging"),
            await project.RunAsync("status", "--env", "staging", "--json"),
            await project.RunAsync("upgrade", "--env", "staging", "--sql"),
            await project.RunAsync("drift", "--env", "staging"),
            await project.RunAsync(new Dictionary<string, string?> { ["PROBEOPS_DEBUG"] = "1" }, "deploy", "--env", "staging", "--json"),
        };
        var wrong = await project.RunAsync(new Dictionary<string, string?> { ["STAGING_DB_PASSWORD"] = "Wr0ngPassw0rdXyz" }, "status", "--env", "staging");

        Assert.True(outputs[0].ExitCode == 8, outputs[0].ToString());
        Assert.Contains("--env 'staging'", outputs[0].Stderr);
        Assert.Contains(":***@", outputs[1].Stdout);
        Assert.Equal(4, wrong.ExitCode);
        Assert.DoesNotContain("Wr0ngPassw0rdXyz", wrong.All, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(project.LogsDirectory, "*.log"));
        project.AssertNoPasswordLeaked();
    }
}
