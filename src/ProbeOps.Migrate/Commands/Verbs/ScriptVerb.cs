using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>upgrade --sql</c> and <c>downgrade --sql</c>: the SQL a run to the target would send, history
/// writes and transaction boundaries included. Reads the history; changes nothing.
/// </summary>
public sealed class ScriptVerb(MigrationDirection direction, string targetText, TransactionMode mode) : IDatabaseVerb<ScriptResult>
{
    public OperationNeeds Needs { get; } = new(History: HistoryNeed.Consistent);

    public Task<ScriptResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var target = TargetResolver.Resolve(scope.Graph, targetText, scope.History.AppliedIds);
        var plan = scope.Plan(direction, target);
        var sql = ScriptWriter.Write(
            plan,
            context.Provider.HistorySql(context.Settings.History),
            mode,
            scope.Options with { Mode = mode },
            context.Time.GetUtcNow());
        return Task.FromResult(new ScriptResult(scope.Database, direction, target.ToString(), [.. plan.Ids], sql));
    }
}
