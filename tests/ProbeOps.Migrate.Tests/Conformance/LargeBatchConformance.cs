using ProbeOps.Migrate.Commands;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>Hundreds of migrations in one run, on every engine.</summary>
public sealed class LargeBatchConformance
{
    private const int Count = 500;

    private static string Name(int i) => $"20250101_step{i:D4}";

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Five_hundred_migrations_apply_in_one_run_and_read_back_in_order(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        run.Migration(Name(1), null, "CREATE TABLE applied_log (step int NOT NULL);\nINSERT INTO applied_log VALUES (1);");
        for (var i = 2; i <= Count; i++)
        {
            run.Migration(Name(i), Name(i - 1), $"CREATE TABLE t{i} (id int);\nINSERT INTO applied_log VALUES ({i});");
        }

        var result = await run.Commands().UpgradeAsync(new RunRequest("head"), default);

        Assert.Equal(Count, result.Steps.Count);
        Assert.Equal([Name(Count)], result.HeadsAfter);
        var history = await run.HistoryAsync();
        Assert.Equal(Enumerable.Range(1, Count).Select(Name), history.Select(h => h.Revision));
        Assert.Single(history.Select(h => h.DeployId).Distinct());
        Assert.Equal(Count, await run.Database.CountAsync("applied_log"));
        Assert.Equal(Count, (await run.UserTablesAsync()).Count);

        var again = await run.Commands().UpgradeAsync(new RunRequest("head"), default);
        Assert.Empty(again.Steps);
    }
}
