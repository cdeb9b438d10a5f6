using System.Data.Common;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// One open connection and the role objects that work over it. Every role uses this same connection:
/// the lock is held by the session that runs the migrations, never by a second one. The roles of
/// optional capabilities are null unless <see cref="Capabilities"/> declares them.
/// </summary>
public interface IDatabaseSession : IAsyncDisposable
{
    DatabaseTarget Target { get; }

    ProviderCapabilities Capabilities { get; }

    /// <summary>The server's version as it reports it, e.g. <c>15.18</c> (SQLite: the library version).</summary>
    string ServerVersion { get; }

    /// <summary>The server's version as a number, e.g. 150018 (PostgreSQL <c>server_version_num</c>).</summary>
    int ServerVersionNumber { get; }

    IMigrationLock Lock { get; }

    IStatementExecutor Executor { get; }

    IHistoryStore History { get; }

    IDatabaseInspector Inspector { get; }

    IDatabaseCleaner Cleaner { get; }

    /// <summary>The session's ADO.NET connection, for C# code migrations; null when the provider gives none.</summary>
    DbConnection? Connection => null;

    /// <summary>Sends a section's statements in one round trip; null unless <see cref="ProviderCapabilities.BatchStatements"/>.</summary>
    IBatchStatementExecutor? BatchExecutor => null;

    /// <summary>Reads the schema for drift checks and snapshots; null unless <see cref="ProviderCapabilities.SchemaReading"/>.</summary>
    ISchemaReader? SchemaReader => null;

    /// <summary>Makes shadow databases for the expected schema; null unless <see cref="ProviderCapabilities.ShadowDatabases"/>.</summary>
    IShadowDatabaseFactory? ShadowDatabases => null;

    /// <summary>The server's lock table settings, which bound how much one transaction may create; null when the server has no such limit.</summary>
    Task<LockTableSize?> ReadLockTableAsync(CancellationToken cancellationToken) => Task.FromResult<LockTableSize?>(null);
}
