using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>History and audit tables under names (and, where the engine has schemas, a schema) of the user's choice.</summary>
public sealed class CustomHistoryTableConformance
{
    private static readonly HistoryTableName Custom = new("deploy_log", "ops");

    private static void TwoMigrations(ConformanceRun run)
    {
        run.Migration("20250101_a", null, "CREATE TABLE a (id int);");
        run.Migration("20250102_b", "20250101_a", "CREATE TABLE b (id int);");
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_custom_history_table_holds_the_history_and_the_default_one_is_never_made(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        TwoMigrations(run);

        await run.Commands(Custom).UpgradeAsync(new RunRequest("head"), default);
        var again = await run.Commands(Custom).UpgradeAsync(new RunRequest("head"), default);

        Assert.Empty(again.Steps);
        Assert.Equal(["20250101_a", "20250102_b"], (await run.HistoryAsync(Custom)).Select(h => h.Revision));
        Assert.Empty(await run.HistoryAsync());
        Assert.DoesNotContain(HistoryTableName.DefaultTable, await run.Database.TablesAsync());
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task The_history_schema_is_used_where_the_engine_has_schemas_and_ignored_where_not(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        TwoMigrations(run);

        await run.Commands(Custom).UpgradeAsync(new RunRequest("head"), default);

        string[] historyTables = ["deploy_log", "deploy_log_audit", "deploy_log_schema"];
        if (run.Capabilities.Schemas)
        {
            Assert.Equal(historyTables, await run.Database.TablesAsync("ops"));
            Assert.Equal(["a", "b"], await run.Database.TablesAsync());
        }
        else
        {
            // Not applicable: the engine declares no schemas, and as documented (HistoryTableName.Schema)
            // the schema is ignored: the tables live beside the user's, under the names given.
            Assert.False(run.Capabilities.Schemas);
            Assert.Equal(["a", "b", .. historyTables], await run.Database.TablesAsync());
        }
    }
}
