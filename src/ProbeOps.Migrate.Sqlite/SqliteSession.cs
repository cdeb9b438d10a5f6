using System.Globalization;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>One open, non-pooled connection to a SQLite database and the roles that work over it.</summary>
public sealed class SqliteSession : IDatabaseSession
{
    /// <summary>How long a statement waits for another connection's write lock when no lock timeout is given.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private readonly SqliteConnection _connection;
    private readonly SqliteLock _lock;

    private SqliteSession(
        DatabaseTarget target,
        ProviderCapabilities capabilities,
        SqliteConnection connection,
        SqliteConnectionSettings settings,
        HistoryTableName history,
        TimeProvider time,
        string serverVersion)
    {
        Target = target;
        Capabilities = capabilities;
        _connection = connection;
        ServerVersion = serverVersion;
        ServerVersionNumber = ParseVersionNumber(serverVersion);

        HistorySql = new HistorySql(SqliteDialect.Instance, history);
        var sql = HistorySql;
        var executor = new SqliteExecutor(connection, sql);
        var inspector = new SqliteInspector(connection, history);
        _lock = new SqliteLock(settings, time);
        Executor = executor;
        Inspector = inspector;
        History = new SqliteHistoryStore(connection, executor, inspector, sql);
        Cleaner = new SqliteCleaner(connection, executor, inspector, history);
        SchemaReader = new SqliteSchemaReader(this, connection, history);
        ShadowDatabases = new SqliteShadowDatabaseFactory(capabilities, time);
    }

    public DatabaseTarget Target { get; }

    public ProviderCapabilities Capabilities { get; }

    /// <summary>The SQLite library version, e.g. <c>3.46.1</c>.</summary>
    public string ServerVersion { get; }

    /// <summary>The library version as SQLite numbers it, e.g. 3046001 for 3.46.1.</summary>
    public int ServerVersionNumber { get; }

    public IMigrationLock Lock => _lock;

    public IStatementExecutor Executor { get; }

    public IHistoryStore History { get; }

    public IDatabaseInspector Inspector { get; }

    public IDatabaseCleaner Cleaner { get; }

    public ISchemaReader SchemaReader { get; }

    public IShadowDatabaseFactory ShadowDatabases { get; }

    internal HistorySql HistorySql { get; }

    /// <summary>Transactions here are plain <c>BEGIN IMMEDIATE</c>: commands on this connection join them unnamed.</summary>
    public System.Data.Common.DbConnection Connection => _connection;

    internal static async Task<SqliteSession> OpenAsync(
        DatabaseTarget target,
        SessionOptions options,
        ProviderCapabilities capabilities,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var settings = SqliteConnectionSettings.FromTarget(target);
        CheckPath(settings, target);

        var busyTimeout = options.LockTimeout ?? DefaultBusyTimeout;
        var connection = new SqliteConnection(settings.ConnectionString)
        {
            // Microsoft.Data.Sqlite retries busy statements for this long on top of SQLite's own busy handler.
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}");
            await command.ExecuteNonQueryAsync(cancellationToken);

            // Reading the schema reads the file header, so a file that is not a database fails here, not mid-deploy.
            command.CommandText = "PRAGMA schema_version";
            await command.ExecuteScalarAsync(cancellationToken);

            command.CommandText = "SELECT sqlite_version()";
            var version = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "";
            return new SqliteSession(target, capabilities, connection, settings, options.History, time, version);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new MigrateException(
                FailureKind.DatabaseUnreachable,
                $"Cannot open the SQLite database {target.Display}: {SqliteExecutor.NativeMessage(ex)}.",
                ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>SQLite only says "unable to open database file": say which part of the path is wrong.</summary>
    private static void CheckPath(SqliteConnectionSettings settings, DatabaseTarget target)
    {
        if (settings.IsMemory)
        {
            return;
        }

        var directory = Path.GetDirectoryName(settings.DataSource);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            throw new MigrateException(
                FailureKind.DatabaseUnreachable,
                $"Cannot open the SQLite database {target.Display}: the directory {directory} does not exist; create it or fix the path.");
        }

        if (Directory.Exists(settings.DataSource))
        {
            throw new MigrateException(
                FailureKind.DatabaseUnreachable,
                $"Cannot open the SQLite database {target.Display}: {settings.DataSource} is a directory; name a file.");
        }
    }

    /// <summary>Turns <c>3.46.1</c> into 3046001, SQLite's own <c>SQLITE_VERSION_NUMBER</c> scheme.</summary>
    internal static int ParseVersionNumber(string version)
    {
        var parts = version.Split('.');
        var number = 0;
        int[] weights = [1_000_000, 1_000, 1];
        for (var i = 0; i < weights.Length && i < parts.Length; i++)
        {
            if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var part))
            {
                number += part * weights[i];
            }
        }

        return number;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing rolls back any open transaction; the lock file is released even if its holder forgot.
        _lock.ReleaseHeld();
        await _connection.DisposeAsync();
    }
}
