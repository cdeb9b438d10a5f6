using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>Options of <c>upgrade</c> and <c>downgrade</c>.</summary>
/// <param name="Target">The target as the user wrote it.</param>
/// <param name="Mode">How migrations are grouped into transactions.</param>
/// <param name="DryRun">Run everything, then roll back.</param>
public sealed record RunRequest(string Target, TransactionMode Mode = TransactionMode.Single, bool DryRun = false);

/// <summary><c>upgrade</c> and <c>downgrade</c>: plan to the target under the lock, apply, record.</summary>
public sealed class RunVerb(MigrationDirection direction, RunRequest request) : IDatabaseVerb<RunResult>
{
    public OperationNeeds Needs { get; } = new(Lock: true, History: HistoryNeed.Consistent);

    public async Task<RunResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var graph = scope.Graph;
        var headsBefore = scope.AppliedHeads();
        var target = TargetResolver.Resolve(graph, request.Target, scope.History.AppliedIds);
        var plan = scope.Plan(direction, target);
        var options = scope.Options with { Mode = request.DryRun ? TransactionMode.Single : request.Mode, DryRun = request.DryRun };
        if (plan.IsEmpty)
        {
            return new RunResult(scope.Database, direction, target.ToString(), request.DryRun, options.DeployId, headsBefore, headsBefore, []);
        }

        if (request.DryRun)
        {
            RejectNonTransactional(plan);
        }

        var started = scope.Context.Time.GetUtcNow();
        var steps = await new PlanApplier(scope.Context, scope.Session, options, scope.Audit).ApplyAsync(plan, started, cancellationToken);
        if (!request.DryRun)
        {
            await scope.Audit.WriteAsync(PlanApplier.OperationOf(direction), started, AuditOutcomes.Succeeded, steps.Select(s => s.Revision), null);
        }

        var after = new HashSet<string>(scope.History.AppliedIds, StringComparer.Ordinal);
        foreach (var step in steps.Where(s => !s.IsRepeatable))
        {
            _ = direction == MigrationDirection.Upgrade ? after.Add(step.Revision) : after.Remove(step.Revision);
        }

        var headsAfter = request.DryRun ? headsBefore : graph.HeadsOf(after);
        return new RunResult(scope.Database, direction, target.ToString(), request.DryRun, options.DeployId, headsBefore, headsAfter, steps);
    }

    private static void RejectNonTransactional(MigrationPlan plan)
    {
        var step = plan.Steps.FirstOrDefault(s => !MigrationRunner.SectionOf(s, plan.Direction).Transactional);
        if (step is not null)
        {
            throw MigrationRunner.DryRunCannotRollBack(step);
        }
    }
}
