using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>PostgreSQL through Npgsql: the production target, with every capability.</summary>
public sealed class PostgreSqlProvider : IDatabaseProvider
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
    };

    private readonly TimeProvider _time;

    /// <param name="time">The clock for connection retries and lock waits; the system clock by default.</param>
    public PostgreSqlProvider(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public string Name => ProviderName;

    public ISqlDialect Dialect => PostgreSqlDialect.Instance;

    public ProviderCapabilities Capabilities => AllCapabilities;

    public DatabaseTarget? TryParse(string setting) => PostgreSqlConnectionSettings.TryParse(setting);

    public IHistorySql HistorySql(HistoryTableName history) => new HistorySql(PostgreSqlDialect.Instance, history);

    /// <summary>pg_dump and pg_restore, found in <see cref="ClientToolOptions.BinDirectory"/> or on PATH.</summary>
    public IBackupTool BackupTool(ClientToolOptions options) => new PostgreSqlBackupTool(options);

    public async Task<IDatabaseSession> OpenSessionAsync(DatabaseTarget target, SessionOptions options, CancellationToken cancellationToken) =>
        await PostgreSqlSession.OpenAsync(target, options, AllCapabilities, _time, cancellationToken);
}
