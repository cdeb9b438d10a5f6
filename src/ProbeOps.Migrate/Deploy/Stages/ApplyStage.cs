using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// Stage 9: the stamp of an unversioned database first, then the pending migrations, by the same
/// path as <c>upgrade</c> (<see cref="PlanApplier"/>).
/// </summary>
public sealed class ApplyStage : IDeployStage
{
    public string Name => DeployStages.Apply;

    public bool ChangesNothing => false;

    public Task<StageResult?> SkipAsync(DeployState state, CancellationToken cancellationToken) =>
        Task.FromResult(state.NothingToDo ? new StageResult("nothing pending", StageOutcome.Skipped) : null);

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var session = state.RequireSession;
        var stampRows = state.RequireInspection.StampRows;
        if (stampRows.Count > 0)
        {
            await HistoryStamper.WriteAsync(
                session, stampRows, replace: false, error => $"Stamping the unversioned database failed: {error}; nothing was changed.", cancellationToken);
            await state.Audit.WriteAsync(
                AuditOperations.Stamp, state.StartedAt, AuditOutcomes.Succeeded, stampRows.Select(r => r.Revision), "stamped an unversioned database");
        }

        var options = state.RunOptions;
        var run = await new PlanApplier(state.Context, session, options, state.Audit).ApplyAsync(state.RequirePlan, state.StartedAt, cancellationToken);
        state.Steps = run.Steps;
        state.Backfills = run.Backfills;
        var mode = options.Mode == TransactionMode.PerMigration ? "a transaction per migration"
            : run.Backfills.Count > 0 ? "one transaction up to each backfill" : "one transaction";
        var backfills = run.Backfills.Count == 0 ? "" : "; backfill " + string.Join("; ", run.Backfills.Select(BackfillText.Summary));
        return new StageResult($"{run.Steps.Count} applied ({mode}){backfills}");
    }
}
