using ProbeOps.Migrate.Commands;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>Upgrade and downgrade through a merge, by the library and by the CLI, on every engine.</summary>
public sealed class MergeConformance
{
    private static void Diamond(ConformanceRun run)
    {
        run.Migration("20250101_base", null, "CREATE TABLE base (id int);", "DROP TABLE base;");
        run.Migration("20250102_left", "20250101_base", "CREATE TABLE l (id int);", "DROP TABLE l;");
        run.Migration("20250102_right", "20250101_base", "CREATE TABLE r (id int);", "DROP TABLE r;");
        run.Migration("20250103_join", "20250102_left, 20250102_right", "CREATE TABLE j (id int);", "DROP TABLE j;");
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Upgrade_and_downgrade_round_trip_through_a_merge_in_the_library(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        Diamond(run);

        await run.Commands().UpgradeAsync(new RunRequest("head"), default);
        Assert.Equal(["base", "j", "l", "probeops_schema_history", "probeops_schema_history_audit", "probeops_schema_history_schema", "r"], await run.Database.TablesAsync());

        var down = await run.Commands().DowngradeAsync(new RunRequest("20250102_left"), default);
        Assert.Equal(["20250103_join"], down.Steps.Select(s => s.Revision));
        Assert.Equal(["20250102_left", "20250102_right"], (await run.Commands().CurrentAsync(default)).Heads);

        var toBase = await run.Commands().DowngradeAsync(new RunRequest("base"), default);
        Assert.Equal("20250101_base", toBase.Steps[^1].Revision);
        Assert.Equal(["probeops_schema_history", "probeops_schema_history_audit", "probeops_schema_history_schema"], await run.Database.TablesAsync());

        await run.Commands().UpgradeAsync(new RunRequest("head"), default);
        Assert.True(await run.TableExistsAsync("j"));
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Upgrade_and_downgrade_round_trip_through_a_merge_in_the_cli(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        Diamond(run);

        var up = await run.CliAsync("upgrade");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.True(await run.TableExistsAsync("j"));
        Assert.Equal(4, (await run.HistoryAsync()).Count);

        var down = await run.CliAsync("downgrade", "20250102_right");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.False(await run.TableExistsAsync("j"));
        var current = await run.CliAsync("current");
        Assert.Contains("20250102_left", current.Stdout);
        Assert.Contains("20250102_right", current.Stdout);

        Assert.Equal(0, (await run.CliAsync("downgrade", "base")).ExitCode);
        Assert.False(await run.TableExistsAsync("base"));
        Assert.Empty(await run.HistoryAsync());

        Assert.Equal(0, (await run.CliAsync("upgrade")).ExitCode);
        Assert.True(await run.TableExistsAsync("j"));
    }
}
