using ProbeOps.Migrate.Drift;
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

        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, [], state.AuditDetail("nothing to do"));

        // A database deployed before schemas were recorded gets its first record here.
        await RecordSchemaAsync(state, cancellationToken);
        return StageResult.Omitted;
    }

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var recorded = await RecordSchemaAsync(state, cancellationToken) ? $", schema recorded in {state.Context.Settings.History.SchemaTable}" : "";

        // A run that only stamped has its stamp row already; an upgrade row with no revision would say nothing true.
        if (state.RequirePlan.IsEmpty)
        {
            return new StageResult($"history and audit log written (stamp){recorded}; deploy id {state.DeployId}");
        }

        var applied = (state.Steps ?? []).Select(s => s.Revision);
        var backfills = Execution.BackfillText.AuditDetail(state.Backfills ?? [], []);
        var detail = string.Join("; ", new[] { state.Backup is null ? null : $"backup {state.Backup.Path}", backfills }.OfType<string>());
        await state.Audit.WriteAsync(AuditOperations.Upgrade, state.StartedAt, AuditOutcomes.Succeeded, applied, state.AuditDetail(detail.Length == 0 ? null : detail));
        return new StageResult($"history and audit log written{recorded}; deploy id {state.DeployId}");
    }

    /// <summary>The schema the deploy leaves, for the drift check of the next run; a failure is a warning.</summary>
    private static async Task<bool> RecordSchemaAsync(DeployState state, CancellationToken cancellationToken)
    {
        var session = state.RequireSession;
        if (session.SchemaReader is null)
        {
            return false;
        }

        if (await SchemaRecorder.RecordAsync(state.Context, session, state.DeployId, cancellationToken) is { } problem)
        {
            state.Warnings.Add(problem);
            return false;
        }

        return true;
    }
}
