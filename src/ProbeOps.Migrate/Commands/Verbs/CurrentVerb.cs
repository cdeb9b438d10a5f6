using ProbeOps.Migrate.Operations;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>current</c>: the database's applied head(s).</summary>
public sealed class CurrentVerb : IDatabaseVerb<CurrentResult>
{
    public OperationNeeds Needs { get; } = new();

    public Task<CurrentResult> RunAsync(OperationScope scope, CancellationToken cancellationToken) =>
        Task.FromResult(new CurrentResult(scope.Database, scope.AppliedHeads(), scope.Applied.Count));
}
