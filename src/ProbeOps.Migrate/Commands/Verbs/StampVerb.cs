using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>stamp</c>: records the target as the applied state without running any SQL (<c>base</c>: nothing applied). A
/// database with no history at an Alembic revision is adopted first (SPEC §13), so <c>+N</c> and <c>-N</c> count from it.
/// </summary>
public sealed class StampVerb(string targetText) : IDatabaseVerb<StampResult>
{
    public OperationNeeds Needs { get; } = new(Lock: true, AdoptAlembic: true);

    public async Task<StampResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var graph = scope.Graph;
        var headsBefore = scope.AppliedHeads();
        var target = TargetResolver.Resolve(graph, targetText, scope.History.AppliedIds);
        var stampSet = Planner.StampSet(graph, target);
        var now = scope.Context.Time.GetUtcNow();
        var rows = HistoryStamper.RowsFor(graph, stampSet, now, scope.Options);
        await HistoryStamper.WriteAsync(
            scope.Session, rows, replace: true, error => $"Stamping {target} failed: {error}; the history is unchanged.", cancellationToken);
        await scope.Audit.WriteAsync(AuditOperations.Stamp, now, AuditOutcomes.Succeeded, rows.Select(r => r.Revision), $"stamped {target}");
        await SchemaRecorder.RecordAsync(scope, null, cancellationToken);
        return new StampResult(scope.Database, target.ToString(), headsBefore, graph.HeadsOf(stampSet), rows.Count);
    }
}
