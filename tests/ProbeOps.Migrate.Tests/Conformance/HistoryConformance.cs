using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>What the history records, read back on every engine, in the order it was applied.</summary>
public sealed class HistoryConformance
{
    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task History_round_trips_every_field_of_a_run(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        run.Migration("20250101_base", null, "CREATE TABLE base (id int);", message: "Base tables");
        run.Migration("20250102_left", "20250101_base", "CREATE TABLE l (id int);");
        run.Migration("20250102_right", "20250101_base", "CREATE TABLE r (id int);");
        run.Migration("20250103_join", "20250102_left, 20250102_right", "CREATE TABLE j (id int);", message: "Join 'both' \"sides\"");

        var result = await run.Commands().UpgradeAsync(new RunRequest("head"), default);
        var history = await run.HistoryAsync();

        Assert.Equal(4, history.Count);
        var byRevision = history.ToDictionary(h => h.Revision);
        Assert.Empty(byRevision["20250101_base"].Parents);
        Assert.Equal("Base tables", byRevision["20250101_base"].Message);
        Assert.Null(byRevision["20250102_left"].Message);
        Assert.Equal(["20250102_left", "20250102_right"], byRevision["20250103_join"].Parents);
        Assert.Equal("Join 'both' \"sides\"", byRevision["20250103_join"].Message);
        var status = await run.Commands().StatusAsync(default);
        Assert.True(status.IsUpToDate);
        Assert.All(history, h =>
        {
            Assert.Equal(64, h.Checksum.Length);
            Assert.Equal(result.DeployId, h.DeployId);
            Assert.False(string.IsNullOrEmpty(h.AppliedBy));
            Assert.Equal(TimeSpan.Zero, h.AppliedAt.Offset);
            Assert.True(h.ExecutionMilliseconds >= 0);
        });
    }

    /// <summary>
    /// Every row of one run shares its timestamp, so the order they were applied in must survive by
    /// other means: here the applied order is not the alphabetical one.
    /// </summary>
    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task History_keeps_the_order_of_one_run(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        run.Migration("20250101_zulu", null, "CREATE TABLE z (id int);");
        run.Migration("20250101_mike", "20250101_zulu", "CREATE TABLE m (id int);");
        run.Migration("20250101_alpha", "20250101_mike", "CREATE TABLE a (id int);");

        var result = await run.Commands().UpgradeAsync(new RunRequest("head"), default);

        Assert.Equal(["20250101_zulu", "20250101_mike", "20250101_alpha"], result.Steps.Select(s => s.Revision));
        Assert.Equal(["20250101_zulu", "20250101_mike", "20250101_alpha"], (await run.HistoryAsync()).Select(h => h.Revision));
    }
}
