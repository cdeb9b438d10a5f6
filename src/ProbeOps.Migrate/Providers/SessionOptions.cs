namespace ProbeOps.Migrate.Providers;

/// <summary>How to open a migration session.</summary>
/// <param name="History">Where the history and audit tables live.</param>
/// <param name="ConnectTimeout">How long one connection attempt may take.</param>
/// <param name="ConnectRetries">How many more attempts after a transient failure (refused, timed out); bad credentials are not retried.</param>
/// <param name="LockTimeout">PostgreSQL <c>lock_timeout</c> for the session; null leaves the server's.</param>
/// <param name="StatementTimeout">PostgreSQL <c>statement_timeout</c> for the session; null leaves the server's.</param>
/// <param name="ApplicationName">Shown in <c>pg_stat_activity</c>.</param>
public sealed record SessionOptions(
    HistoryTableName History,
    TimeSpan ConnectTimeout,
    int ConnectRetries,
    TimeSpan? LockTimeout,
    TimeSpan? StatementTimeout,
    string ApplicationName = "probeops-migrate")
{
    /// <summary>
    /// A schema target's schema (PostgreSQL): set first on the session's <c>search_path</c>; inspection sees only
    /// its objects. Null: the server's <c>search_path</c> and the whole database.
    /// </summary>
    public string? TargetSchema { get; init; }

    public static SessionOptions Default { get; } = new(new HistoryTableName(), TimeSpan.FromSeconds(10), 3, null, null);

    /// <summary>Which migration lock to take, and the lease of a lock row.</summary>
    public MigrationLockOptions Lock { get; init; } = MigrationLockOptions.Default;
}
