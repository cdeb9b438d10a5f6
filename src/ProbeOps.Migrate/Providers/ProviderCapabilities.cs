namespace ProbeOps.Migrate.Providers;

/// <summary>
/// What a database engine can do. The engine plans around these instead of asking which database
/// it is talking to, so a new engine (CockroachDB, YugabyteDB, Citus) declares its own set.
/// </summary>
public sealed record ProviderCapabilities
{
    /// <summary>DDL runs inside a transaction and rolls back with it.</summary>
    public bool TransactionalDdl { get; init; }

    /// <summary>A session-level advisory lock serialises migration runs.</summary>
    public bool AdvisoryLocks { get; init; }

    /// <summary><c>CREATE INDEX CONCURRENTLY</c> and friends exist (and refuse transactions).</summary>
    public bool ConcurrentIndexes { get; init; }

    /// <summary>The history tables can live in a named schema.</summary>
    public bool Schemas { get; init; }

    /// <summary><c>lock_timeout</c> and <c>statement_timeout</c> can bound a migration session.</summary>
    public bool SessionTimeouts { get; init; }

    /// <summary>A separate server process whose version matters (client tools, backups).</summary>
    public bool ServerProcess { get; init; }
}
