using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// The lint gate of <c>deploy</c> and <c>preflight</c>, and <c>lint</c> with a database, through the real process on real
/// PostgreSQL. The project's first two revisions are applied; the third builds an index on the existing orders table.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LintDeployCliTests
{
    private const string IndexFile = "20250103_order_index.sql";

    /// <summary>The <c>CREATE INDEX</c>'s line: header, blank, section marker, then the statement (after a suppression when there is one).</summary>
    private const int IndexLine = 4;

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Accounts and orders deployed (with a backup); the index revision written but not applied.</summary>
    private static async Task<DeployProject> WithIndexPendingAsync(string? suppression = null)
    {
        var project = await DeployProject.CreateAsync(migrations: 2);
        var first = await project.RunAsync("deploy");
        Assert.True(first.ExitCode == 0, first.ToString());
        var upgrade = (suppression is null ? "" : suppression + "\n") + "CREATE INDEX orders_account ON orders (account_id);";
        project.WriteMigration(IndexFile, MigrationText.File("20250102_orders", upgrade, "DROP INDEX orders_account;"));
        return project;
    }

    [Fact]
    public async Task Deploy_stops_on_a_lint_error_before_any_backup_or_change_naming_file_line_and_rule()
    {
        await using var project = await WithIndexPendingAsync();
        var backups = project.Backups();

        var output = await project.RunAsync("deploy");

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains($"migrations/{IndexFile}:{IndexLine}:1: error PL101 ", output.Stderr);
        var error = output.Stderr.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains($"PL101 at {IndexFile}:{IndexLine}:1", error);
        Assert.Contains("--allow-lint-errors", error);
        Assert.Contains("Nothing was changed.", error);
        Assert.Equal(backups, project.Backups());
        Assert.Equal(["20250101_accounts", "20250102_orders"], await project.HistoryAsync());
        Assert.Null(await project.ScalarAsync<string>("SELECT to_regclass('public.orders_account')::text"));

        var report = ReadJson(project.Logs(".json")[^1]);
        Assert.Equal(3, report.GetProperty("exitCode").GetInt32());
        var stages = report.GetProperty("stages").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("outcome").GetString())).ToList();
        Assert.Equal(("lint", "failed"), stages[^1]);
        Assert.DoesNotContain(stages, s => s.Item1 is "backup" or "apply");
        var lint = report.GetProperty("lint");
        Assert.False(lint.GetProperty("errorsAllowed").GetBoolean());
        var finding = Assert.Single(lint.GetProperty("findings").EnumerateArray());
        Assert.Equal("PL101", finding.GetProperty("code").GetString());
        Assert.Equal(IndexLine, finding.GetProperty("line").GetInt32());
        Assert.Contains("PL101", File.ReadAllText(project.Logs(".md")[^1]));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Allow_lint_errors_deploys_and_records_the_errors_as_warnings_in_the_reports()
    {
        await using var project = await WithIndexPendingAsync();

        var output = await project.RunAsync("deploy", "--allow-lint-errors");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains($"warning: lint error allowed by --allow-lint-errors: {IndexFile}:{IndexLine}:1: error PL101 ", output.Stderr);
        Assert.Equal("orders_account", await project.ScalarAsync<string>("SELECT to_regclass('public.orders_account')::text"));
        var report = ReadJson(project.Logs(".json")[^1]);
        Assert.Equal("succeeded", report.GetProperty("outcome").GetString());
        Assert.True(report.GetProperty("lint").GetProperty("errorsAllowed").GetBoolean());
        Assert.Equal("PL101", Assert.Single(report.GetProperty("lint").GetProperty("findings").EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains(report.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("PL101", StringComparison.Ordinal));
        Assert.Contains(report.GetProperty("stages").EnumerateArray(), s => s.GetProperty("name").GetString() == "lint" && s.GetProperty("outcome").GetString() == "warning");
        var md = File.ReadAllText(project.Logs(".md")[^1]);
        Assert.Contains("#### Lint: 1 error, 0 warnings, 0 notices (errors allowed: --allow-lint-errors)", md);
        Assert.Contains($"`{IndexFile}:{IndexLine}:1`", md);
        Assert.Contains($"finding  {IndexFile}:{IndexLine}:1: error PL101 ", File.ReadAllText(project.Logs(".log")[^1]));
    }

    [Fact]
    public async Task Suppressions_are_listed_in_the_deploy_reports_and_its_json()
    {
        await using var project = await WithIndexPendingAsync("-- lint:ignore PL101 orders is empty until the launch");

        var output = await project.RunAsync("deploy", "--json");

        Assert.True(output.ExitCode == 0, output.ToString());
        var stdout = JsonDocument.Parse(output.Stdout).RootElement.GetProperty("lint");
        Assert.Empty(stdout.GetProperty("findings").EnumerateArray());
        var suppression = Assert.Single(stdout.GetProperty("suppressions").EnumerateArray());
        Assert.Equal("PL101", suppression.GetProperty("code").GetString());
        Assert.Equal("orders is empty until the launch", suppression.GetProperty("reason").GetString());
        Assert.Equal(IndexLine, suppression.GetProperty("line").GetInt32());
        var report = ReadJson(project.Logs(".json")[^1]);
        Assert.Equal("orders is empty until the launch", report.GetProperty("lint").GetProperty("suppressions")[0].GetProperty("reason").GetString());
        Assert.Contains("| PL101 | `" + IndexFile, File.ReadAllText(project.Logs(".md")[^1]));
        Assert.Contains("orders is empty until the launch", File.ReadAllText(project.Logs(".md")[^1]));
        Assert.Contains($"ignored  PL101 at {IndexFile}:", File.ReadAllText(project.Logs(".log")[^1]));
    }

    [Fact]
    public async Task Preflight_fails_on_a_lint_error_like_deploy_and_changes_nothing()
    {
        await using var project = await WithIndexPendingAsync();

        var failed = await project.RunAsync("preflight");
        var allowed = await project.RunAsync("preflight", "--allow-lint-errors");

        Assert.True(failed.ExitCode == 3, failed.ToString());
        Assert.Contains($"migrations/{IndexFile}:{IndexLine}:1: error PL101 ", failed.Stderr);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("Preflight passed: 1 migration pending.", allowed.Stdout);
        Assert.Equal(["20250101_accounts", "20250102_orders"], await project.HistoryAsync());
    }

    [Fact]
    public async Task A_deploy_whose_index_is_on_a_table_created_in_the_same_run_passes_lint()
    {
        await using var project = await DeployProject.CreateAsync();

        var output = await project.RunAsync("deploy", "--no-backup");

        Assert.True(output.ExitCode == 0, output.ToString());
        var lint = ReadJson(project.Logs(".json")[^1]).GetProperty("lint");
        Assert.Equal(3, lint.GetProperty("revisions").GetInt32());
        Assert.Empty(lint.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task Lint_with_a_database_knows_the_server_version_and_counts_tables_of_pending_revisions_as_new()
    {
        await using var project = await DeployProject.CreateAsync();
        var server = await project.ServerVersionAsync();

        var allPending = await project.RunAsync("lint", "--json");
        Assert.Equal(0, (await project.RunAsync("upgrade", "20250102_orders")).ExitCode);
        var indexPending = await project.RunAsync("lint", "--json");
        var text = await project.RunAsync("lint");

        Assert.True(allPending.ExitCode == 0, allPending.ToString());
        var before = JsonDocument.Parse(allPending.Stdout).RootElement;
        Assert.Equal(server, before.GetProperty("serverVersion").GetString());
        Assert.Equal(3, before.GetProperty("pending").GetArrayLength());
        Assert.True(indexPending.ExitCode == 3, indexPending.ToString());
        var after = JsonDocument.Parse(indexPending.Stdout).RootElement;
        Assert.Equal("20250103_order_index", Assert.Single(after.GetProperty("pending").EnumerateArray()).GetString());
        Assert.Equal("PL101", Assert.Single(after.GetProperty("findings").EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains($"(PostgreSQL {server.Split('.')[0]}; 1 pending on postgres://", text.Stdout);
        project.AssertNoPasswordLeaked();
    }
}
