using Microsoft.Data.Sqlite;

namespace ProbeOps.Migrate.Tests.Hosting;

/// <summary>The start-up service on a real SQLite file: apply migrates, verify refuses to start unless up to date.</summary>
public sealed class StartupPolicyTests
{
    [Fact]
    public async Task Apply_migrates_before_the_start_returns()
    {
        await using var project = new HostingProject();

        await project.StartAsync(StartupPolicy.Apply);

        var status = await project.Migrator.StatusAsync();
        Assert.True(status.IsUpToDate);
        Assert.Equal([HostingProject.Second], status.AppliedHeads);
    }

    [Fact]
    public async Task Verify_refuses_to_start_while_a_migration_is_pending_and_changes_nothing()
    {
        await using var project = new HostingProject();

        var error = await Assert.ThrowsAsync<MigrateException>(() => project.StartAsync(StartupPolicy.Verify));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("2 pending", error.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to start", error.Message, StringComparison.Ordinal);
        Assert.Empty((await project.Migrator.StatusAsync()).Applied);
    }

    [Fact]
    public async Task Verify_refuses_to_start_on_drift_and_starts_on_an_untouched_database()
    {
        await using var project = new HostingProject();
        await project.Migrator.UpgradeAsync();

        await project.StartAsync(StartupPolicy.Verify);
        project.Execute("CREATE INDEX probes_target ON probes (target)");
        var error = await Assert.ThrowsAsync<MigrateException>(() => project.StartAsync(StartupPolicy.Verify));

        Assert.Equal(FailureKind.Drift, error.Kind);
        Assert.Contains("drift: 1 difference from the recorded-schema check", error.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
    }
}
