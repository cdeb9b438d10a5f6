using System.Runtime.Versioning;
namespace ProbeOps.Migrate.Tests.Repeatables;

/// <summary>Repeatables beside the other commands: <c>--sql</c>, <c>downgrade</c>, <c>reset</c> and <c>drift</c>.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepeatableLifecycleTests
{
    [Fact]
    public async Task Upgrade_sql_prints_the_replaced_repeatable_and_its_record()
    {
        await using var project = await RepeatableProject.CreateAsync("sqlite");
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("labels", "INSERT INTO runs (name) VALUES ('${label}');");

        var output = await project.RunAsync("upgrade", "--sql", "--placeholder", "label=printed");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("-- repeatable labels", output.Stdout);
        Assert.Contains("INSERT INTO runs (name) VALUES ('printed');", output.Stdout);
        Assert.Contains("probeops_schema_history_repeatable", output.Stdout);
        Assert.False(await project.TableExistsAsync("runs"));
    }

    [Fact]
    public async Task Downgrade_leaves_repeatables_alone_and_reset_drops_their_records()
    {
        await using var project = await RepeatableProject.CreateAsync("sqlite");
        project.Dir.Write("migrations/20250101_runs.sql", Cli.MigrationText.File(null, "CREATE TABLE runs (name text NOT NULL);", "DROP TABLE runs;"));
        project.Dir.Write("migrations/20250102_other.sql", Cli.MigrationText.File("20250101_runs", "CREATE TABLE other (id int);", "DROP TABLE other;"));
        project.Repeatable("count", "INSERT INTO runs (name) VALUES ('x');");
        Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);

        var down = await project.RunAsync("downgrade", "-1");
        var recordsAfterDowngrade = await project.CountAsync("SELECT count(*) FROM probeops_schema_history_repeatable");
        var reset = await project.RunAsync("reset", "--confirm", "app.db", "--no-backup");

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal(1, recordsAfterDowngrade);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.False(await project.TableExistsAsync("probeops_schema_history_repeatable"));
        Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);
        Assert.Equal(1, await project.CountAsync("SELECT count(*) FROM runs"));
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public async Task Drift_expects_the_repeatables_as_last_applied(string engine)
    {
        await using var project = await RepeatableProject.CreateAsync(engine);
        project.Revision("20250101_runs", null, "CREATE TABLE runs (name text NOT NULL);");
        project.Repeatable("v_runs", "DROP VIEW IF EXISTS v_runs;\nCREATE VIEW v_runs AS SELECT name FROM runs;");
        Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);

        var matching = await project.RunAsync("drift", "--no-cache");
        project.Repeatable("v_runs", "DROP VIEW IF EXISTS v_runs;\nCREATE VIEW v_runs AS SELECT name, 1 AS one FROM runs;");
        var pendingEdit = await project.RunAsync("drift", "--no-cache");
        var deploy = await project.RunAsync("deploy", "--no-backup");
        var afterDeploy = await project.RunAsync("drift", "--no-cache");

        Assert.True(matching.ExitCode == 0, matching.ToString());
        Assert.True(pendingEdit.ExitCode == 0, pendingEdit.ToString());
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("repeatable/v_runs", deploy.All);
        Assert.True(afterDeploy.ExitCode == 0, afterDeploy.ToString());
        Assert.Equal(0, await project.CountAsync("SELECT count(*) FROM v_runs WHERE one = 1"));
    }
}
