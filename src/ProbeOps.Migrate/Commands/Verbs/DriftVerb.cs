using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Drift;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>drift</c>: the live schema against the schema the migrations produce at the database's applied
/// revisions. Changes nothing in the database; exit 9 when they differ is the caller's to return.
/// </summary>
public sealed class DriftVerb(DriftOptions options) : IDatabaseVerb<DriftReport>
{
    public OperationNeeds Needs { get; } = new(History: HistoryNeed.Consistent);

    public Task<DriftReport> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var builder = context.ExpectedSchemas(options);
        return DriftCheck.RunAsync(
            builder, options, scope.Session, scope.Graph, scope.History.AppliedIds, context.Time, cancellationToken,
            repeatables: context.RecordedRepeatables(scope.Repeatables), history: scope.Applied);
    }
}
