using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Fleet;

/// <summary>Targets listed by a query, and the fleet's <c>status</c> and <c>drift</c>.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FleetDiscoveryTests
{
    [Fact]
    public async Task Discovery_queries_list_databases_and_tenant_schemas_that_status_and_deploy_then_cover()
    {
        var prefix = "probeops_d" + Guid.NewGuid().ToString("N")[..8];
        await using var project = await FleetProject.CreateAsync(0);
        var saas = await project.AddDatabaseAsync(prefix + "_saas");
        await project.AddDatabaseAsync(prefix + "_eu");
        await project.AddDatabaseAsync(prefix + "_us");
        await FleetProject.ExecAsync(saas, "CREATE SCHEMA tenant_one; CREATE SCHEMA tenant_two; CREATE SCHEMA reporting;");
        project.WriteTargets(
            "\"parallel\": 3",
            new
            {
                discover = new
                {
                    database = FleetProject.UrlOf("postgres"),
                    query = $"SELECT datname FROM pg_database WHERE datname IN ('{prefix}_eu', '{prefix}_us') ORDER BY 1",
                    template = FleetProject.UrlOf("{name}"),
                },
            },
            new
            {
                discover = new
                {
                    database = FleetProject.UrlOf(saas.Name),
                    query = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' ORDER BY 1",
                    template = FleetProject.UrlOf(saas.Name),
                    schema = "{name}",
                },
            });

        var before = await project.RunAsync("status", "--targets", "targets.json", "--json");

        Assert.True(before.ExitCode == 0, before.ToString());
        var listed = JsonDocument.Parse(before.Stdout).RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal([prefix + "_eu", prefix + "_us", "tenant_one", "tenant_two"], listed.Select(t => t.GetProperty("name").GetString()));
        Assert.All(listed, t => Assert.Equal("behind", t.GetProperty("outcome").GetString()));

        var deploy = await project.RunAsync("deploy", "--targets", "targets.json");
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.True(await FleetProject.HasTableAsync(saas, "tenant_two.accounts"));
        Assert.False(await FleetProject.HasTableAsync(saas, "reporting.accounts"));

        var after = await project.RunAsync("status", "--targets", "targets.json");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(4, after.Stdout.Split('\n').Count(l => l.Contains(": current,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Status_tells_behind_ahead_and_edited_targets_and_drift_finds_the_one_tenant_changed_by_hand()
    {
        await using var project = await FleetProject.CreateAsync(3);
        var (current, ahead, edited) = (project.Databases[0], project.Databases[1], project.Databases[2]);
        var saas = await project.AddDatabaseAsync("probeops_f_" + Guid.NewGuid().ToString("N")[..12]);
        project.WriteTargets(
            "\"onError\": \"continue\"",
            new { name = "current", database = FleetProject.UrlOf(current.Name) },
            new { name = "ahead", database = FleetProject.UrlOf(ahead.Name) },
            new { name = "edited", database = FleetProject.UrlOf(edited.Name) },
            new { name = "tenant_x", database = FleetProject.UrlOf(saas.Name), schema = "tenant_x" },
            new { name = "tenant_y", database = FleetProject.UrlOf(saas.Name), schema = "tenant_y" });
        Assert.Equal(0, (await project.RunAsync("deploy", "--targets", "targets.json")).ExitCode);

        await FleetProject.ExecAsync(ahead, "INSERT INTO probeops_schema_history (revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id) " +
                                            "SELECT '20991231_future', revision, 'from a newer checkout', checksum, applied_at, applied_by, 0, deploy_id FROM probeops_schema_history");
        await FleetProject.ExecAsync(edited, "UPDATE probeops_schema_history SET checksum = 'edited'");
        await FleetProject.ExecAsync(saas, "ALTER TABLE tenant_y.accounts ADD COLUMN note text");
        project.WriteMigration("20250102_orders.sql", MigrationText.File("20250101_accounts", "CREATE TABLE orders (id int);"));

        var status = await project.RunAsync("status", "--targets", "targets.json", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        var outcomes = JsonDocument.Parse(status.Stdout).RootElement.GetProperty("targets").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("outcome").GetString());
        Assert.Equal("behind", outcomes["current"]);
        Assert.Equal("ahead", outcomes["ahead"]);
        Assert.Equal("edited", outcomes["edited"]);

        var drift = await project.RunAsync("drift", "--targets", "targets.json", "--json");

        // The first failed target in the file's order decides the exit code: "ahead", whose history the files cannot explain.
        Assert.True(drift.ExitCode == 3, drift.ToString());
        var checks = JsonDocument.Parse(drift.Stdout).RootElement.GetProperty("targets").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t);
        Assert.Equal(3, checks["ahead"].GetProperty("exitCode").GetInt32());
        Assert.Equal(9, checks["tenant_y"].GetProperty("exitCode").GetInt32());
        Assert.Equal("drift", checks["tenant_y"].GetProperty("outcome").GetString());
        Assert.Contains("tenant_y.accounts.note", checks["tenant_y"].GetProperty("detail").GetString());
        Assert.Equal("no-drift", checks["tenant_x"].GetProperty("outcome").GetString());
        Assert.Equal("no-drift", checks["current"].GetProperty("outcome").GetString());
    }
}
