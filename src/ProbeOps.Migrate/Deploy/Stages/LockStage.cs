using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 4: the migration lock, held until the end of the run, so the history inspected is the one applied to.</summary>
public sealed class LockStage : IDeployStage
{
    public string Name => DeployStages.Lock;

    /// <summary>Preflight takes no lock: it must not hold up a deploy that runs meanwhile.</summary>
    public bool ChangesNothing => false;

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var wait = state.Context.Settings.WaitForLock;
        var migrationLock = state.RequireSession.Lock;
        state.Lock = await migrationLock.AcquireAsync(wait, cancellationToken);
        if (migrationLock.Notice is { } notice)
        {
            state.Warnings.Add(notice);
            return new StageResult($"held; {notice}");
        }

        return new StageResult($"held (waited at most {Durations.Format(wait)})");
    }
}
