using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// A database engine: recognises its connection settings and opens sessions. Everything else is
/// done through the small role objects of <see cref="IDatabaseSession"/>. A provider may own
/// resources shared by its sessions (PostgreSQL: its Npgsql data sources): whoever creates it
/// disposes it, after the sessions it opened.
/// </summary>
public interface IDatabaseProvider : IAsyncDisposable
{
    /// <summary>A short lower-case name: <c>postgresql</c>, <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>The engine's SQL text: how migration files are cut into statements and checked, and how names are quoted.</summary>
    ISqlDialect Dialect { get; }

    ProviderCapabilities Capabilities { get; }

    /// <summary>Parses <paramref name="setting"/> when it is this provider's; null when it is not. Throws <see cref="MigrateException"/> (Usage) when it is this provider's but malformed.</summary>
    DatabaseTarget? TryParse(string setting);

    /// <summary>The pure SQL generator for the history and audit tables (also used by <c>upgrade --sql</c>).</summary>
    IHistorySql HistorySql(HistoryTableName history);

    /// <summary>The backup tool of this provider, looking for client programs as <paramref name="options"/> say.</summary>
    IBackupTool BackupTool(ClientToolOptions options);

    /// <summary>
    /// Opens one dedicated, non-pooled connection that takes the lock and runs the migrations.
    /// Throws <see cref="MigrateException"/> (DatabaseUnreachable) after bounded retries.
    /// </summary>
    Task<IDatabaseSession> OpenSessionAsync(DatabaseTarget target, SessionOptions options, CancellationToken cancellationToken);
}
