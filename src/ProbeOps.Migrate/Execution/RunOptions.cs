namespace ProbeOps.Migrate.Execution;

/// <summary>Who runs a migration and how.</summary>
/// <param name="Mode">How migrations are grouped into transactions.</param>
/// <param name="DryRun">Run everything, then roll back.</param>
/// <param name="LockRetries">Retries of a unit whose statement hit the lock timeout.</param>
/// <param name="DeployId">Recorded in history and audit rows.</param>
/// <param name="Actor">The user and host recorded as <c>applied_by</c>.</param>
/// <param name="Backfills">Run backfill sections; a shadow replay, which wants the schema alone, leaves them out.</param>
public sealed record RunOptions(TransactionMode Mode, bool DryRun, int LockRetries, string DeployId, Actor Actor, bool Backfills = true);

/// <summary>The user and machine a run is recorded under.</summary>
public sealed record Actor(string User, string Host, string ToolVersion)
{
    public static Actor Current { get; } = new(Environment.UserName, Environment.MachineName, ToolInfo.Version);
}
