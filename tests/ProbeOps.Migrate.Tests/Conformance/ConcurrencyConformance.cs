using System.Diagnostics;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>
/// Runs that meet a run in progress, through the real CLI process: a second run waits for the first
/// and applies nothing twice; a run killed mid-way leaves schema and history in agreement, and a rerun
/// completes. Each run is held mid-way by the engine's own means (<see cref="ProviderFixture.BlockRunsAsync"/>),
/// so nothing here depends on timing.
/// </summary>
public sealed class ConcurrencyConformance
{
    /// <summary>Generous bounds: the blocked run waits on the test, never on a clock.</summary>
    private static readonly string[] Patient = ["--lock-timeout", "10m", "--wait-for-lock", "120s"];

    /// <summary>Three migrations that log themselves; the second stops where the blocker says.</summary>
    private static void LoggedMigrations(ConformanceRun run, string blockStatement)
    {
        run.Migration("20250101_a", null, "CREATE TABLE applied_log (revision text NOT NULL);\nCREATE TABLE a (id int);\nINSERT INTO applied_log VALUES ('a');");
        run.Migration("20250102_b", "20250101_a", $"CREATE TABLE b (id int);\n{blockStatement}\nINSERT INTO applied_log VALUES ('b');");
        run.Migration("20250103_c", "20250102_b", "CREATE TABLE c (id int);\nINSERT INTO applied_log VALUES ('c');");
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_second_run_waits_for_the_first_and_applies_nothing_twice(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        Process first;
        Process second;
        await using (var blocker = await run.Fixture.BlockRunsAsync(run.Database))
        {
            LoggedMigrations(run, blocker.Statement);
            first = run.StartCli(["upgrade", .. Patient]);
            await blocker.WaitUntilBlockedAsync();
            second = run.StartCli(["upgrade", .. Patient]);
            await run.Fixture.WaitUntilQueuedAsync(run.Database, second);
            Assert.False(first.HasExited);
            Assert.False(second.HasExited);
        }

        using var firstProcess = first;
        using var secondProcess = second;
        var firstOutput = await ExitAsync(first);
        var secondOutput = await ExitAsync(second);

        Assert.True(firstOutput.ExitCode == 0, firstOutput.ToString());
        Assert.True(secondOutput.ExitCode == 0, secondOutput.ToString());
        Assert.Contains("Done: 3 migrations applied", firstOutput.Stdout);
        Assert.Contains("Nothing to do", secondOutput.Stdout);
        Assert.Equal(3, await run.Database.CountAsync("applied_log"));
        Assert.Equal(["20250101_a", "20250102_b", "20250103_c"], (await run.HistoryAsync()).Select(h => h.Revision).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_run_killed_mid_way_leaves_schema_and_history_agreeing_and_a_rerun_completes(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        await using (var blocker = await run.Fixture.BlockRunsAsync(run.Database))
        {
            LoggedMigrations(run, blocker.Statement);
            using var process = run.StartCli(["upgrade", .. Patient]);
            await blocker.WaitUntilBlockedAsync();
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await AssertSchemaMatchesHistoryAsync(run);

        // The server notices the closed socket and rolls back; the lock goes with the session.
        LoggedMigrations(run, "");
        var rerun = await run.CliAsync(["upgrade", .. Patient]);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(3, (await run.HistoryAsync()).Count);
        Assert.True(await run.TableExistsAsync("c"));
        Assert.Equal(3, await run.Database.CountAsync("applied_log"));
        await AssertSchemaMatchesHistoryAsync(run);
    }

    /// <summary>Each migration made one table named after its revision: the tables present are those of the revisions recorded.</summary>
    private static async Task AssertSchemaMatchesHistoryAsync(ConformanceRun run)
    {
        var recorded = (await run.HistoryAsync()).Select(h => h.Revision[(h.Revision.IndexOf('_', StringComparison.Ordinal) + 1)..]);
        var tables = (await run.UserTablesAsync()).Where(t => t != "applied_log");
        Assert.Equal(recorded.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    private static Task<Cli.CliOutput> ExitAsync(Process process) => Cli.CliProcess.CollectAsync(process, TimeSpan.FromMinutes(5));
}
