using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>
/// Applies a plan on a session that holds the migration lock, and records a failure in the audit
/// log: the one path of <c>upgrade</c>, <c>downgrade</c> and deploy's apply stage. Recording the
/// success is the caller's, who knows what to say about it.
/// </summary>
public sealed class PlanApplier(MigrationContext context, IDatabaseSession session, RunOptions options, RunAudit audit)
{
    public static string OperationOf(MigrationDirection direction) =>
        direction == MigrationDirection.Upgrade ? AuditOperations.Upgrade : AuditOperations.Downgrade;

    /// <summary>Runs <paramref name="plan"/>; a dry run rolls back and records nothing.</summary>
    public Task<IReadOnlyList<StepResult>> ApplyAsync(MigrationPlan plan, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var runner = new MigrationRunner(session, options, context.Time, context.Observer);
        return options.DryRun
            ? runner.RunAsync(plan, cancellationToken)
            : audit.RecordingFailureAsync(OperationOf(plan.Direction), started, plan.Ids, () => runner.RunAsync(plan, cancellationToken));
    }
}
