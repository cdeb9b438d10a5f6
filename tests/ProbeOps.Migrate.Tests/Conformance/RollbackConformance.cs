using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>A failed run applies nothing and leaves the history as it was, on every engine.</summary>
public sealed class RollbackConformance
{
    private static void ThreeMigrations(ConformanceRun run, string second)
    {
        run.Migration("20250101_a", null, "CREATE TABLE a (id int);", "DROP TABLE a;");
        run.Migration("20250102_b", "20250101_a", second, "DROP TABLE b;");
        run.Migration("20250103_c", "20250102_b", "CREATE TABLE c (id int);", "DROP TABLE c;");
    }

    /// <summary>The second migration creates its table, then runs the engine's failing statement on line 5 of its file.</summary>
    private static void FailingSecond(ConformanceRun run) =>
        ThreeMigrations(run, "CREATE TABLE b (id int);\n" + run.Fixture.Failing.Sql);

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_failure_in_the_second_of_three_leaves_nothing_applied(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        FailingSecond(run);

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => run.Commands().UpgradeAsync(new RunRequest("head"), default));

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.Equal("20250102_b", failure.Revision);
        Assert.Equal(5, failure.Line);
        Assert.Contains(run.Fixture.Failing.ErrorText, failure.Message);
        Assert.Contains("nothing was applied", failure.Message);
        Assert.Empty(await run.UserTablesAsync());
        Assert.Empty((await run.Commands().StatusAsync(default)).Applied);
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_failed_cli_run_exits_8_points_at_the_line_and_audits_the_failure(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        FailingSecond(run);

        var output = await run.CliAsync("upgrade");

        Assert.Equal(8, output.ExitCode);
        Assert.Contains("20250102_b", output.Stderr);
        Assert.Contains(run.Fixture.Failing.ErrorText, output.Stderr);
        Assert.Contains("20250102_b.sql:5", output.Stderr);
        Assert.Equal(run.Fixture.Failing.ShowsPosition, output.Stderr.Contains('^', StringComparison.Ordinal));
        Assert.False(await run.TableExistsAsync("a"));
        Assert.False(await run.TableExistsAsync("b"));
        Assert.Empty(await run.HistoryAsync());
        Assert.Single(await run.AuditAsync(), a => a.Outcome == "failed");
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task A_failed_run_leaves_the_history_of_earlier_runs_unchanged(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        FailingSecond(run);
        await run.Commands().UpgradeAsync(new RunRequest("20250101_a"), default);
        var before = await run.HistoryAsync();

        await Assert.ThrowsAsync<MigrationFailedException>(() => run.Commands().UpgradeAsync(new RunRequest("head"), default));

        Assert.Equal(before, await run.HistoryAsync());
        Assert.Equal(["a"], await run.UserTablesAsync());
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Per_migration_mode_keeps_the_migrations_before_the_failure(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        ThreeMigrations(run, "INSERT INTO missing_table VALUES (1);");

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(
            () => run.Commands().UpgradeAsync(new RunRequest("head", TransactionMode.PerMigration), default));

        Assert.Equal(["20250101_a"], failure.Committed);
        Assert.True(await run.TableExistsAsync("a"));
        Assert.False(await run.TableExistsAsync("b"));
        var status = await run.Commands().StatusAsync(default);
        Assert.Equal(["20250101_a"], status.Applied.Select(a => a.Revision));
        Assert.Equal(["20250102_b", "20250103_c"], status.Pending.Select(p => p.Id));
    }

    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Per_migration_mode_in_the_cli_exits_8_keeping_the_first(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        FailingSecond(run);

        var output = await run.CliAsync("upgrade", "--transaction", "per-migration");

        Assert.Equal(8, output.ExitCode);
        Assert.True(await run.TableExistsAsync("a"));
        Assert.False(await run.TableExistsAsync("b"));
        Assert.Single(await run.HistoryAsync());
    }
}
