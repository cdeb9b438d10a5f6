using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>Placeholders overridden per environment: one revision, one checksum, a value of its own in each database.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class EnvironmentPlaceholderCliTests
{
    [Fact]
    public async Task Two_environments_deploy_the_same_revision_each_with_its_own_value_and_the_same_checksum()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        project.WriteMigration(
            $"{EnvironmentProject.Second}.sql",
            MigrationText.File(EnvironmentProject.First, "CREATE TABLE grants_for (role text NOT NULL);\nINSERT INTO grants_for (role) VALUES ('${app_role}');"));
        project.WriteConfig(config =>
        {
            config["placeholders"] = new JsonObject { ["app_role"] = "app" };
            var environments = config["environments"]!.AsObject();
            environments["staging"]!["placeholders"] = new JsonObject { ["app_role"] = "app_staging" };
            environments["production"]!["placeholders"] = new JsonObject { ["app_role"] = "app_production" };
        });

        var staging = await project.RunAsync("deploy", "--env", "staging");
        var production = await project.RunAsync("deploy", "--env", "production");
        var stagingStatus = JsonDocument.Parse((await project.RunAsync("status", "--env", "staging", "--json")).Stdout).RootElement;
        var productionStatus = JsonDocument.Parse((await project.RunAsync("status", "--env", "production", "--json")).Stdout).RootElement;

        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.True(production.ExitCode == 0, production.ToString());
        Assert.Equal("app_staging", await project.ScalarAsync(project.Staging, "SELECT role FROM grants_for"));
        Assert.Equal("app_production", await project.ScalarAsync(project.Production, "SELECT role FROM grants_for"));
        const string checksum = $"SELECT checksum FROM probeops_schema_history WHERE revision = '{EnvironmentProject.Second}'";
        var recorded = await project.ScalarAsync(project.Staging, checksum);
        Assert.False(string.IsNullOrEmpty(recorded));
        Assert.Equal(recorded, await project.ScalarAsync(project.Production, checksum));
        foreach (var status in new[] { stagingStatus, productionStatus })
        {
            Assert.Equal(0, status.GetProperty("edited").GetArrayLength());
            Assert.True(status.GetProperty("upToDate").GetBoolean());
        }

        project.AssertNoPasswordLeaked();
    }
}
