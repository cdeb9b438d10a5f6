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

        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, [], Detail("nothing to do", state));
        return StageResult.Omitted;
    }

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var applied = (state.Steps ?? []).Select(s => s.Revision);
        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, applied, Detail(state.Backup is null ? null : $"backup {state.Backup.Path}", state));
        return new StageResult($"history and audit log written; deploy id {state.DeployId}");
    }

    /// <summary>The row's detail, with the risks the run accepted and why.</summary>
    private static string? Detail(string? detail, DeployState state) =>
        state.AcceptedRisksDetail is { } risks ? (detail is null ? risks : $"{detail}; {risks}") : detail;
}
