using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>What a run applied or reverted, and the backfills it ran.</summary>
public sealed record AppliedRun(IReadOnlyList<StepResult> Steps, IReadOnlyList<BackfillResult> Backfills);

/// <summary>
/// Applies a plan on a session that holds the migration lock, and records a failure in the audit
/// log: the one path of <c>upgrade</c>, <c>downgrade</c> and deploy's apply stage. Recording the
/// success is the caller's, who knows what to say about it.
/// </summary>
public sealed class PlanApplier(MigrationContext context, IDatabaseSession session, RunOptions options, RunAudit audit)
{
    public static string OperationOf(MigrationDirection direction) =>
        direction == MigrationDirection.Upgrade ? AuditOperations.Upgrade : AuditOperations.Downgrade;

    /// <summary>
    /// Runs <paramref name="plan"/>; a dry run rolls back and records nothing. A <c>transaction:false</c> section that
    /// stopped part-way gets an audit row of its own (<see cref="AuditOutcomes.Partial"/>, saying what ran), so
    /// <c>status</c> and the next run know, before the failed row of the run.
    /// </summary>
    public async Task<AppliedRun> ApplyAsync(MigrationPlan plan, DateTimeOffset started, CancellationToken cancellationToken)
    {
        // What runs, and the checksums the history was compared with, come from the files' content, never from the stat cache alone.
        context.Graphs.ReadDeferredFiles();
        var runner = new MigrationRunner(session, options, context.Time, context.Observer);
        if (options.DryRun)
        {
            return new AppliedRun(await runner.RunAsync(plan, cancellationToken), runner.Backfills);
        }

        var operation = OperationOf(plan.Direction);
        var revisions = plan.Resume.Select(r => r.Revision.Id).Concat(plan.Ids);
        var steps = await audit.RecordingFailureAsync(operation, started, revisions, async () =>
        {
            try
            {
                return await runner.RunAsync(plan, cancellationToken);
            }
            catch (MigrationFailedException ex) when (ex.Partial is { } partial)
            {
                await audit.WriteAsync(operation, started, AuditOutcomes.Partial, [partial.Revision], partial.Describe());
                throw;
            }
        });
        return new AppliedRun(steps, runner.Backfills);
    }
}
