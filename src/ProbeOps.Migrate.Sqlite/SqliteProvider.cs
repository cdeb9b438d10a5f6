using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// The embedded default: a SQLite database file (or a throwaway in-memory database), through
/// Microsoft.Data.Sqlite. Settings are described on <see cref="SqliteConnectionSettings"/>.
/// </summary>
public sealed class SqliteProvider : IDatabaseProvider
{
    public const string ProviderName = "sqlite";

    private readonly TimeProvider _time;

    public SqliteProvider()
        : this(TimeProvider.System)
    {
    }

    /// <param name="time">The clock the migration lock waits on.</param>
    public SqliteProvider(TimeProvider time)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string Name => ProviderName;

    public ISqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>
    /// SQLite rolls DDL back with its transaction and its schema can be read and replayed in memory; it has
    /// no advisory locks, schemas, session timeouts or batches (a statement is a call into the library).
    /// </summary>
    public ProviderCapabilities Capabilities { get; } = new() { TransactionalDdl = true, SchemaReading = true, ShadowDatabases = true };

    public DatabaseTarget? TryParse(string setting) => SqliteConnectionSettings.TryParse(setting);

    public IHistorySql HistorySql(HistoryTableName history) => new HistorySql(SqliteDialect.Instance, history);

    /// <summary>SQLite needs no client programs: the online backup API does the work.</summary>
    public IBackupTool BackupTool(ClientToolOptions options) => new SqliteBackupTool();

    /// <summary>
    /// Opens the database file. There is no server to wait for, so <see cref="SessionOptions.ConnectTimeout"/>
    /// and <see cref="SessionOptions.ConnectRetries"/> do not apply; <see cref="SessionOptions.LockTimeout"/>,
    /// when given, bounds how long a statement waits for another connection's write lock.
    /// </summary>
    public async Task<IDatabaseSession> OpenSessionAsync(DatabaseTarget target, SessionOptions options, CancellationToken cancellationToken) =>
        await SqliteSession.OpenAsync(target, options, Capabilities, _time, cancellationToken);

    /// <summary>Nothing to release: a SQLite session owns its connection.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
