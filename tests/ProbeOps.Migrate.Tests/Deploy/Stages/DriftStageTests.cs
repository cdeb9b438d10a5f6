using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Drift;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The drift stage on real SQLite files: skipped for an empty database, passed, failed, or a warning with --allow-drift.</summary>
public sealed class DriftStageTests : IDisposable
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    private DeployRequest Request(bool allowDrift = false) =>
        new() { AllowDrift = allowDrift, Drift = new DriftOptions { CacheDirectory = _project.Dir.Combine("cache") } };

    private async Task<DeployState> DriftAsync(DeployRequest request) =>
        await StageProject.ThroughAsync(await StageProject.ThroughAsync(_project.State(request), StageProject.UpToInspect()), new DriftStage());

    private Task UpgradeAsync() =>
        new Commands.MigrationCommands(_project.Settings, _project.Providers).UpgradeAsync(new Commands.RunRequest("head"), default);

    [Fact]
    public async Task An_empty_database_is_not_compared()
    {
        await using var state = await DriftAsync(Request());

        Assert.Equal(StageOutcome.Skipped, state.Stages[^1].Outcome);
        Assert.Equal("empty database: nothing to compare", state.Stages[^1].Detail);
    }

    [Fact]
    public async Task A_database_as_its_migrations_left_it_passes()
    {
        await UpgradeAsync();

        await using var state = await DriftAsync(Request());

        Assert.Equal(StageOutcome.Passed, state.Stages[^1].Outcome);
        Assert.StartsWith("matches the migrations", state.Stages[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_fails_with_exit_9_or_is_a_warning_with_allow_drift()
    {
        await UpgradeAsync();
        await _project.ExecAsync("CREATE TABLE extra (id INTEGER)");

        var refused = _project.State(Request());
        await StageProject.ThroughAsync(refused, StageProject.UpToInspect());
        var failure = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(refused, new DriftStage()));
        await refused.DisposeAsync();
        Assert.Equal(FailureKind.Drift, failure.Kind);
        Assert.Contains("extra", failure.Message, StringComparison.Ordinal);
        Assert.Equal(StageOutcome.Failed, refused.Stages[^1].Outcome);

        await using var allowed = await DriftAsync(Request(allowDrift: true));
        Assert.Equal(StageOutcome.Warning, allowed.Stages[^1].Outcome);
        Assert.Contains(allowed.Warnings, w => w.StartsWith("drift: ", StringComparison.Ordinal) && w.Contains("extra", StringComparison.Ordinal));
    }
}
