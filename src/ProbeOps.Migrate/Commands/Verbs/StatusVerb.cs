using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>status</c>: applied and pending revisions, edited files, applied revisions the files do not know, and
/// <c>transaction:false</c> sections a failed run left part-way (from the audit log).
/// </summary>
public sealed class StatusVerb : IDatabaseVerb<StatusResult>
{
    public OperationNeeds Needs { get; } = new();

    public async Task<StatusResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var check = scope.History;
        var pending = scope.Graph.TopologicalOrder.Where(r => !check.AppliedIds.Contains(r.Id)).ToList();
        var audit = await scope.Session.History.ReadAuditAsync(cancellationToken);
        var backfilling = scope.BackfillStatuses(scope.Applied);
        return new StatusResult(scope.Database, scope.AppliedHeads(), scope.Applied, pending, check.Edited, check.Unknown, backfilling)
        {
            Partial = PartialRun.Find(audit, check.AppliedIds),
        };
    }
}
