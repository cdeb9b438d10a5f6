using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 10: the audit row of the run (the history rows were written with the migrations).</summary>
public sealed class RecordStage : IDeployStage
{
    public string Name => DeployStages.Record;

    public bool ChangesNothing => false;

    /// <summary>A deploy with nothing to do still leaves its audit row; the stage itself is not reported.</summary>
    public async Task<StageResult?> SkipAsync(DeployState state, CancellationToken cancellationToken)
    {
        if (!state.NothingToDo)
        {
            return null;
        }

        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, [], "nothing to do");
        return StageResult.Omitted;
    }

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        // A run that only stamped has its stamp row already; an upgrade row with no revision would say nothing true.
        if (state.RequirePlan.IsEmpty)
        {
            return new StageResult($"history and audit log written (stamp); deploy id {state.DeployId}");
        }

        var applied = (state.Steps ?? []).Select(s => s.Revision);
        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, applied, state.Backup is null ? null : $"backup {state.Backup.Path}");
        return new StageResult($"history and audit log written; deploy id {state.DeployId}");
    }
}
