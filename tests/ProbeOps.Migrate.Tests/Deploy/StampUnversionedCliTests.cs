using System.Runtime.Versioning;
using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>Deploying to a database that has objects but no history (SPEC §6 step 5), through the real process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StampUnversionedCliTests
{
    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public async Task Unversioned_database_needs_stamp_unversioned_when_no_one_can_be_asked()
    {
        await using var project = await DeployProject.CreateAsync();
        await project.ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)");

        var output = await project.RunAsync("deploy");

        Assert.True(output.ExitCode == 10, output.ToString());
        Assert.Contains("--stamp-unversioned", output.Stderr);
        Assert.Equal(["accounts"], await project.TablesAsync());
        Assert.Empty(project.Backups());
    }

    [Fact]
    public async Task Stamp_unversioned_base_records_the_base_and_applies_the_rest()
    {
        await using var project = await DeployProject.CreateAsync();
        await project.ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)");

        var output = await project.RunAsync("deploy", "--stamp-unversioned", "base");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(["20250101_accounts", "20250102_orders", "20250103_order_index"], await project.HistoryAsync());
        Assert.True(await project.TableExistsAsync("orders"));
        Assert.Equal("20250101_accounts", await project.ScalarAsync<string>("SELECT string_agg(revision, ',') FROM probeops_schema_history WHERE execution_ms = 0 AND revision = '20250101_accounts'"));
        Assert.Single(project.Backups());
        var report = ReadJson(Assert.Single(project.Logs(".json")));
        Assert.Equal(["20250101_accounts"], report.GetProperty("stamped").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, report.GetProperty("applied").GetArrayLength());
    }

    [Fact]
    public async Task Stamp_unversioned_head_records_everything_and_runs_nothing()
    {
        await using var project = await DeployProject.CreateAsync();
        await project.ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)");

        // The database holds only the base table, so recording every revision is a claim the drift check refutes: allow it, to pin what stamping records.
        var output = await project.RunAsync("deploy", "--stamp-unversioned", "head", "--allow-drift");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(["20250101_accounts", "20250102_orders", "20250103_order_index"], await project.HistoryAsync());
        Assert.False(await project.TableExistsAsync("orders"));
    }

    [Fact]
    public async Task A_deploy_that_only_stamps_takes_no_backup_and_audits_a_stamp_under_its_deploy_id()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 1);
        await project.ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)");

        var output = await project.RunAsync("deploy", "--stamp-unversioned", "head");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("Stamped", output.Stdout);
        Assert.Empty(project.Backups());
        var report = ReadJson(Assert.Single(project.Logs(".json")));
        var deployId = report.GetProperty("deployId").GetString();
        Assert.False(string.IsNullOrEmpty(deployId));
        Assert.Equal(["20250101_accounts"], report.GetProperty("stamped").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, report.GetProperty("applied").GetArrayLength());
        var backup = report.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "backup");
        Assert.Equal("skipped", backup.GetProperty("outcome").GetString());
        Assert.Equal(deployId, await project.ScalarAsync<string>("SELECT string_agg(DISTINCT deploy_id, ',') FROM probeops_schema_history"));
        Assert.Equal(
            "stamp:succeeded:20250101_accounts",
            await project.ScalarAsync<string>($"SELECT string_agg(operation || ':' || outcome || ':' || revisions, ';' ORDER BY id) FROM probeops_schema_history_audit WHERE deploy_id = '{deployId}'"));
    }

    [Fact]
    public async Task Stamp_unversioned_revision_records_it_and_its_ancestors()
    {
        await using var project = await DeployProject.CreateAsync();
        await project.ExecAsync(
            "CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL); CREATE TABLE orders (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id));");

        // The stamped orders table exists, so a plain CREATE INDEX on it is a lint error: let it through, to pin what stamping records.
        var output = await project.RunAsync("deploy", "--stamp-unversioned", "20250102_orders", "--allow-lint-errors");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(["20250101_accounts", "20250102_orders", "20250103_order_index"], await project.HistoryAsync());
        Assert.Equal("orders_account", await project.ScalarAsync<string>("SELECT indexname::text FROM pg_indexes WHERE indexname = 'orders_account'"));
        var report = ReadJson(Assert.Single(project.Logs(".json")));
        Assert.Equal(["20250101_accounts", "20250102_orders"], report.GetProperty("stamped").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["20250103_order_index"], report.GetProperty("applied").EnumerateArray().Select(e => e.GetString()));
    }
}
