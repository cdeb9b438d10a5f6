using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>status</c>: applied and pending revisions, pending repeatable migrations, edited files, applied revisions the files do not know, and
/// <c>transaction:false</c> sections a failed run left part-way (from the audit log).
/// </summary>
public sealed class StatusVerb : IUpToDateVerb<StatusResult>
{
    public OperationNeeds Needs { get; } = new();

    public bool AnswersWhenUpToDate(FilesSnapshot files) => true;

    /// <summary>Every revision applied as its file is: nothing pending, edited or unknown; only a partial run can still show.</summary>
    public async Task<StatusResult> UpToDateAsync(UpToDateScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var audit = await scope.Session.History.ReadAuditAsync(cancellationToken);
        var appliedIds = scope.Applied.Select(a => a.Revision).ToHashSet(StringComparer.Ordinal);
        return new StatusResult(scope.Database, scope.Files.Heads, scope.Applied, [], [], [], [])
        {
            Partial = PartialRun.Find(audit, appliedIds),
        };
    }

    public async Task<StatusResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var check = scope.History;
        var pending = scope.Graph.TopologicalOrder.Where(r => !check.AppliedIds.Contains(r.Id)).ToList();
        var lastChecksum = AppliedRepeatable.LastChecksums(scope.Repeatables);
        var repeatables = MigrationPlan.PendingRepeatables(scope.Graph, lastChecksum)
            .Select(r => new PendingRepeatable(r, lastChecksum(r.Name) is not null))
            .ToList();
        var audit = await scope.Session.History.ReadAuditAsync(cancellationToken);
        var backfilling = scope.BackfillStatuses(scope.Applied);
        return new StatusResult(scope.Database, scope.AppliedHeads(), scope.Applied, pending, check.Edited, check.Unknown, backfilling)
        {
            Partial = PartialRun.Find(audit, check.AppliedIds),
            PendingRepeatables = repeatables,
            Code = check.Code,
        };
    }
}
