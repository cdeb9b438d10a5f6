using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>status</c>: applied and pending revisions, edited files and applied revisions the files do not know.</summary>
public sealed class StatusVerb : IDatabaseVerb<StatusResult>
{
    public OperationNeeds Needs { get; } = new();

    public Task<StatusResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var check = scope.History;
        var pending = scope.Graph.TopologicalOrder.Where(r => !check.AppliedIds.Contains(r.Id)).ToList();
        var backfilling = scope.BackfillStatuses(scope.Applied);
        return Task.FromResult(new StatusResult(scope.Database, scope.AppliedHeads(), scope.Applied, pending, check.Edited, check.Unknown, backfilling));
    }
}
