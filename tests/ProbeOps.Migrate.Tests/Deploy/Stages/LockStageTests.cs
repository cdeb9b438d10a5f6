using ProbeOps.Migrate.Deploy;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The lock stage on a real SQLite file: the lock is held until the state is disposed.</summary>
public sealed class LockStageTests : IDisposable
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task The_lock_is_held_until_the_run_ends()
    {
        var state = await StageProject.ThroughAsync(_project.State(), new ConnectStage(), new LockStage());
        Assert.NotNull(state.Lock);
        Assert.StartsWith("held (waited at most", state.Stages[1].Detail, StringComparison.Ordinal);

        var other = _project.State();
        var busy = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(other, new ConnectStage(), new LockStage()));
        Assert.Equal(FailureKind.LockTimeout, busy.Kind);
        Assert.Equal(StageOutcome.Failed, other.Stages[1].Outcome);
        await other.DisposeAsync();

        await state.DisposeAsync();
        await using var after = await StageProject.ThroughAsync(_project.State(), new ConnectStage(), new LockStage());
        Assert.Equal(StageOutcome.Passed, after.Stages[1].Outcome);
    }
}
