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
        var inspection = state.RequireInspection;
        var stampRows = inspection.StampRows;
        if (stampRows.Count > 0 || inspection.Alembic is not null)
        {
            await HistoryStamper.WriteAsync(
                session, stampRows, replace: false, error => $"Stamping the unversioned database failed: {error}; nothing was changed.", cancellationToken);
            await state.Audit.WriteAsync(
                AuditOperations.Stamp, state.StartedAt, AuditOutcomes.Succeeded, stampRows.Select(r => r.Revision), state.AuditDetail(inspection.Alembic?.AuditDetail ?? "stamped an unversioned database"));
        }

        var plan = state.RequirePlan;
        if (plan.IsEmpty)
        {
            state.Steps = [];
            return new StageResult($"stamped {DeployText.Summarise(stampRows.Select(r => r.Revision))}; no migration to apply");
        }

        var options = state.RunOptions;
        var run = await new PlanApplier(state.Context, session, options, state.Audit).ApplyAsync(plan, state.StartedAt, cancellationToken);
        state.Steps = run.Steps;
        state.Backfills = run.Backfills;
        var stamped = stampRows.Count > 0 ? $"stamped {DeployText.Summarise(stampRows.Select(r => r.Revision))}, then " : "";
        var backfills = run.Backfills.Count == 0 ? "" : "; backfill " + string.Join("; ", run.Backfills.Select(BackfillText.Summary));
        return new StageResult($"{stamped}{run.Steps.Count} applied ({Grouping(MigrationRunner.Units(plan, options.Mode))}){backfills}");
    }

    /// <summary>How the run was really grouped: "one transaction", "2 transactions", "1 outside a transaction", ...</summary>
    public static string Grouping(IReadOnlyList<RunUnit> units)
    {
        var transactions = units.Count(u => u.Transactional);
        var outside = units.Count - transactions;
        var parts = new List<string>();
        if (transactions > 0)
        {
            parts.Add(transactions == 1 ? "one transaction" : $"{transactions} transactions");
        }

        if (outside > 0)
        {
            parts.Add($"{outside} outside a transaction");
        }

        return string.Join(", ", parts);
    }
}
