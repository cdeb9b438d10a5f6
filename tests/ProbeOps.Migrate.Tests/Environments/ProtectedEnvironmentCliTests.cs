using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>
/// A protected environment on real PostgreSQL, through the process: every refusal is exit 10 with one line,
/// and leaves the database exactly as it was (tables, history, audit rows) with no backup taken.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ProtectedEnvironmentCliTests
{
    public static TheoryData<string[], string> Refusals => new()
    {
        { ["reset", "--confirm", "{db}"], "the configuration must change" },
        { ["reset", "--confirm", "{db}", "--no-backup"], "the configuration must change" },
        { ["deploy", "--no-backup"], "the configuration must change" },
        { ["preflight", "--no-backup"], "the configuration must change" },
        { ["deploy", "--allow-drift"], "needs --reason TEXT" },
        { ["deploy", "--allow-drift", "--reason", "  "], "needs --reason TEXT" },
        { ["downgrade", "base"], "confirm with --confirm {db}" },
        { ["downgrade", "base", "--confirm", "app"], "does not match the database name" },
        { ["restore", "{backup}"], "confirm with --confirm {db}" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_protected_environment_refuses_with_exit_10_and_leaves_the_database_untouched(string[] command, string expected)
    {
        await using var project = await EnvironmentProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy", "--env", "production")).ExitCode);
        var backup = Assert.Single(project.Backups());
        project.AddSecondMigration();
        var before = await project.StateAsync(project.Production);
        var args = command.Select(a => a.Replace("{db}", project.Production.Name, StringComparison.Ordinal).Replace("{backup}", backup, StringComparison.Ordinal));

        var output = await project.RunAsync([.. args, "--env", "production"]);

        Assert.True(output.ExitCode == 10, output.ToString());
        var error = Assert.Single(output.Stderr.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected.Replace("{db}", project.Production.Name, StringComparison.Ordinal), error);
        Assert.Equal(before, await project.StateAsync(project.Production));
        Assert.Equal([backup], project.Backups());
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task The_same_commands_run_in_an_unprotected_environment()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("upgrade", "--env", "staging")).ExitCode);

        var downgrade = await project.RunAsync("downgrade", "base", "--env", "staging");
        var reset = await project.RunAsync("reset", "--confirm", project.Staging.Name, "--no-backup", "--env", "staging");

        Assert.True(downgrade.ExitCode == 0, downgrade.ToString());
        Assert.True(reset.ExitCode == 0, reset.ToString());
    }

    [Fact]
    public async Task A_confirmed_downgrade_and_a_reasoned_allow_drift_run_and_the_reason_is_recorded()
    {
        await using var project = await EnvironmentProject.CreateAsync();
        project.AddSecondMigration();
        Assert.Equal(0, (await project.RunAsync("deploy", "--env", "production")).ExitCode);

        var downgrade = await project.RunAsync("downgrade", "-1", "--confirm", project.Production.Name, "--env", "production");
        await project.ExecAsync(project.Production, "CREATE TABLE hand_made (id int)");
        var deploy = await project.RunAsync("deploy", "--env", "production", "--allow-drift", "--reason", "hand_made is dropped next release", "--json");

        Assert.True(downgrade.ExitCode == 0, downgrade.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        var report = JsonDocument.Parse(deploy.Stdout).RootElement;
        Assert.Equal("production", report.GetProperty("environment").GetString());
        Assert.True(report.GetProperty("protected").GetBoolean());
        Assert.Equal("hand_made is dropped next release", report.GetProperty("reason").GetString());
        Assert.Equal(["--allow-drift"], report.GetProperty("acceptedRisks").EnumerateArray().Select(e => e.GetString()));
        var detail = await project.ScalarAsync(project.Production, "SELECT detail FROM probeops_schema_history_audit ORDER BY id DESC LIMIT 1");
        Assert.Contains("accepted --allow-drift; reason: hand_made is dropped next release", detail);
        Assert.Equal("production,production,production", await project.ScalarAsync(project.Production, "SELECT string_agg(environment, ',' ORDER BY id) FROM probeops_schema_history_audit"));
        var log = File.ReadAllText(Path.ChangeExtension(Directory.GetFiles(project.LogsDirectory, "*.json").OrderBy(File.GetLastWriteTimeUtc).Last(), ".log"));
        Assert.Contains("reason: hand_made is dropped next release", log);
        project.AssertNoPasswordLeaked();
    }
}
