namespace ProbeOps.Migrate.Providers;

/// <summary>
/// What a database engine can do: the one place a provider declares its optional capabilities,
/// known before any session is open. The engine plans around these instead of asking which
/// database it is talking to, so a new engine (CockroachDB, YugabyteDB, Citus) declares its own
/// set. Every member is false unless declared. A capability that comes with code of its own is also
/// a role on <see cref="IDatabaseSession"/> that is null exactly when the flag is false
/// (docs/decisions/0005-provider-seam.md).
/// </summary>
public sealed record ProviderCapabilities
{
    /// <summary>DDL runs inside a transaction and rolls back with it.</summary>
    public bool TransactionalDdl { get; init; }

    /// <summary>A session-level advisory lock serialises migration runs.</summary>
    public bool AdvisoryLocks { get; init; }

    /// <summary><c>CREATE INDEX CONCURRENTLY</c> and friends exist (and refuse transactions).</summary>
    public bool ConcurrentIndexes { get; init; }

    /// <summary>The history tables can live in a named schema; without it <see cref="HistoryTableName.Schema"/> is ignored.</summary>
    public bool Schemas { get; init; }

    /// <summary><c>lock_timeout</c> and <c>statement_timeout</c> can bound a migration session.</summary>
    public bool SessionTimeouts { get; init; }

    /// <summary>A separate server process whose version matters (client tools, backups).</summary>
    public bool ServerProcess { get; init; }

    /// <summary>Several statements go to the server in one round trip: <see cref="IDatabaseSession.BatchExecutor"/>.</summary>
    public bool BatchStatements { get; init; }

    /// <summary>The schema can be read into the neutral model (drift, snapshots): <see cref="IDatabaseSession.SchemaReader"/>.</summary>
    public bool SchemaReading { get; init; }

    /// <summary>Throwaway databases can be made to replay migrations into: <see cref="IDatabaseSession.ShadowDatabases"/>.</summary>
    public bool ShadowDatabases { get; init; }
}
