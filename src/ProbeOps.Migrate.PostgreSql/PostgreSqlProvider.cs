using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// PostgreSQL through Npgsql: the production target, with every capability. It owns the Npgsql
/// data sources its sessions connect through; dispose it after its sessions.
/// </summary>
public sealed class PostgreSqlProvider : IDatabaseProvider, IDisposable
{
    public const string ProviderName = "postgresql";

    private static readonly ProviderCapabilities AllCapabilities = new()
    {
        TransactionalDdl = true,
        AdvisoryLocks = true,
        ConcurrentIndexes = true,
        Schemas = true,
        SessionTimeouts = true,
        ServerProcess = true,
        BatchStatements = true,
        SchemaReading = true,
        ShadowDatabases = true,
    };

    private readonly TimeProvider _time;
    private readonly PostgreSqlDataSources _sources = new();

    /// <param name="time">The clock for connection retries and lock waits; the system clock by default.</param>
    public PostgreSqlProvider(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public string Name => ProviderName;

    public ISqlDialect Dialect => PostgreSqlDialect.Instance;

    public ProviderCapabilities Capabilities => AllCapabilities;

    /// <summary>How many Npgsql data sources the provider holds open (one per connection string used); zero once disposed.</summary>
    public int OpenDataSources => _sources.Count;

    public DatabaseTarget? TryParse(string setting) => PostgreSqlConnectionSettings.TryParse(setting);

    public IHistorySql HistorySql(HistoryTableName history) => new HistorySql(PostgreSqlDialect.Instance, history);

    /// <summary>pg_dump and pg_restore, found in <see cref="ClientToolOptions.BinDirectory"/> or on PATH.</summary>
    public IBackupTool BackupTool(ClientToolOptions options) => new PostgreSqlBackupTool(options);

    /// <summary>Refuses (exit 2) a history table name the server would truncate, before connecting.</summary>
    public async Task<IDatabaseSession> OpenSessionAsync(DatabaseTarget target, SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.History.Validate();
        return await PostgreSqlSession.OpenAsync(new PostgreSqlSessionContext(_sources, AllCapabilities, _time), target, options, cancellationToken);
    }

    /// <summary>Disposes the data sources; sessions still open keep their connections until they are disposed.</summary>
    public ValueTask DisposeAsync() => _sources.DisposeAsync();

    public void Dispose() => _sources.Dispose();
}
