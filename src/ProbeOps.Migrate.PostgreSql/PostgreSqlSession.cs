using ProbeOps.Migrate.Sql;
using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// One dedicated, non-pooled connection and the roles working over it. The lock, the statements,
/// the history and the inspection all share this connection, so the lock is held by the very
/// session that runs <c>CREATE INDEX CONCURRENTLY</c> and cannot deadlock with it.
/// </summary>
public sealed class PostgreSqlSession : IDatabaseSession
{
    private readonly NpgsqlConnection _connection;
    private readonly SessionOptions _options;
    private readonly PostgreSqlSessionContext _context;

    private PostgreSqlSession(NpgsqlConnection connection, PostgreSqlSessionContext context, DatabaseTarget target, SessionOptions options)
    {
        _connection = connection;
        _options = options;
        _context = context;
        Target = target;
        Capabilities = context.Capabilities;
        HistorySql = new HistorySql(PostgreSqlDialect.Instance, options.History);
        var executor = new PostgreSqlExecutor(this);
        Executor = executor;
        BatchExecutor = executor;
        Lock = new PostgreSqlLock(executor, HistorySql, target.Display, context.Time);
        var history = new PostgreSqlHistoryStore(executor, HistorySql);
        History = history;
        Inspector = new PostgreSqlInspector(executor, HistorySql, history, options.TargetSchema);
        Cleaner = new PostgreSqlCleaner(executor, HistorySql);
        SchemaReader = new PostgreSqlSchemaReader(this);
        ShadowDatabases = new PostgreSqlShadowDatabaseFactory(this, context);
    }

    public DatabaseTarget Target { get; }

    /// <summary>What this server supports, as probed on connect (<see cref="Server"/>).</summary>
    public ProviderCapabilities Capabilities { get; private set; }

    /// <summary>Which engine answered and what it said about itself.</summary>
    public PostgreSqlServer? Server { get; private set; }

    public string ServerVersion { get; private set; } = "";

    public int ServerVersionNumber { get; private set; }

    /// <summary>The advisory lock, or the lock row where the server has no working advisory locks or it is asked for.</summary>
    public IMigrationLock Lock { get; private set; }

    public IStatementExecutor Executor { get; }

    public IHistoryStore History { get; }

    public IDatabaseInspector Inspector { get; }

    public IDatabaseCleaner Cleaner { get; }

    public IBatchStatementExecutor BatchExecutor { get; }

    public ISchemaReader SchemaReader { get; }

    public IShadowDatabaseFactory ShadowDatabases { get; }

    /// <summary>The server process serving this session (<c>pg_backend_pid()</c>).</summary>
    public int ProcessId => _connection.ProcessID;

    internal HistorySql HistorySql { get; }

    internal NpgsqlConnection Connection => _connection;

    DbConnection IDatabaseSession.Connection => _connection;

    internal static async Task<PostgreSqlSession> OpenAsync(
        PostgreSqlSessionContext context,
        DatabaseTarget target,
        SessionOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var settings = ConnectionSettings(target, options);
        var connection = await PostgreSqlConnector.OpenAsync(context.Sources, settings, target, options, context.Time, cancellationToken);
        var session = new PostgreSqlSession(connection, context, target, options);
        try
        {
            await session.InitializeAsync(cancellationToken);
            return session;
        }
        catch (Exception e) when (e is NpgsqlException or StatementFailedException)
        {
            await session.DisposeAsync();
            throw new MigrateException(
                FailureKind.DatabaseUnreachable,
                $"connected to {target.Display} but could not set up the session: {e.Message}",
                e);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>The settings of one migration connection: never pooled, no client-side command timeout.</summary>
    internal static NpgsqlConnectionStringBuilder ConnectionSettings(DatabaseTarget target, SessionOptions options)
    {
        var written = new DbConnectionStringBuilder { ConnectionString = target.ConnectionString };
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString)
        {
            Pooling = false,
            Multiplexing = false,

            // Without it the server's DETAIL is withheld, and a failed migration loses its best clue.
            IncludeErrorDetail = true,

            // A migration section runs as one batch; this is how a failure names the statement that failed.
            IncludeFailedBatchedCommand = true,
        };

        // What the user wrote into the setting wins over the tool's defaults.
        if (!written.ContainsKey("Timeout"))
        {
            settings.Timeout = (int)Math.Clamp(Math.Ceiling(options.ConnectTimeout.TotalSeconds), 1, 1024);
        }

        if (!written.ContainsKey("Command Timeout"))
        {
            // statement_timeout bounds statements on the server; a client timeout would cut long migrations short.
            settings.CommandTimeout = 0;
        }

        if (!written.ContainsKey(PostgreSqlUrlParser.GssEncryptionKey) && !written.ContainsKey("GssEncryptionMode"))
        {
            // libpq tries GSS encryption only with Kerberos credentials at hand; Npgsql's default tries it on every
            // connection, loading the Kerberos libraries and spending a round trip on a request the server declines.
            settings.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        if (!written.ContainsKey("Application Name"))
        {
            settings.ApplicationName = options.ApplicationName;
        }

        return settings;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var server = await PostgreSqlServerProbe.ProbeAsync((PostgreSqlExecutor)Executor, _context.Capabilities, SettingStatements(), cancellationToken);
        ServerVersion = server.Version;
        ServerVersionNumber = server.VersionNumber;
        var useRow = _options.Lock.Kind switch
        {
            MigrationLockKind.Row => true,
            MigrationLockKind.Advisory when !server.Capabilities.AdvisoryLocks => throw new MigrateException(
                FailureKind.Usage,
                $"{server.Describe()} at {Target.Display} has no working advisory locks: set PROBEOPS_LOCK=row or unset it, and the migration lock becomes a lock row."),
            _ => !server.Capabilities.AdvisoryLocks,
        };
        Server = useRow ? server with { Capabilities = server.Capabilities with { AdvisoryLocks = false } } : server;
        Capabilities = Server.Capabilities;
        if (useRow)
        {
            var settings = ConnectionSettings(Target, _options);
            Lock = new PostgreSqlRowLock(
                ct => PostgreSqlConnector.OpenAsync(_context.Sources, settings, Target, _options, _context.Time, ct),
                settings.ApplicationName ?? _options.ApplicationName,
                HistorySql,
                _options.Lock,
                Target.Display,
                _context.Time,
                () => ProcessId);
        }
    }

    /// <summary>Sets <c>lock_timeout</c>, <c>statement_timeout</c> and a schema target's <c>search_path</c>; run at open and after every rollback.</summary>
    internal async Task ApplySettingsAsync(CancellationToken cancellationToken) =>
        await ((PostgreSqlExecutor)Executor).RunBatchAsync(SettingStatements(), cancellationToken);

    private List<string> SettingStatements()
    {
        var statements = new List<string>(3);
        if (_options.TargetSchema is { } schema)
        {
            // The schema need not exist yet: the first upgrade creates it with the history tables, and the
            // server finds it on the search_path from then on.
            statements.Add("SET search_path TO " + PostgreSqlSyntax.QuoteIdentifier(schema) + ", public");
        }

        if (_options.LockTimeout is { } lockTimeout)
        {
            statements.Add("SET lock_timeout = " + Milliseconds(lockTimeout));
        }

        if (_options.StatementTimeout is { } statementTimeout)
        {
            statements.Add("SET statement_timeout = " + Milliseconds(statementTimeout));
        }

        return statements;
    }

    private static string Milliseconds(TimeSpan value)
    {
        var ms = Math.Max(0, (long)Math.Ceiling(value.TotalMilliseconds));
        return PostgreSqlSyntax.QuoteLiteral(ms.ToString(CultureInfo.InvariantCulture) + "ms");
    }

    public async Task<LockTableSize?> ReadLockTableAsync(CancellationToken cancellationToken) =>
        await ((PostgreSqlExecutor)Executor).QuerySingleAsync(
            "SELECT current_setting('max_locks_per_transaction')::int, current_setting('max_connections')::int, current_setting('max_prepared_transactions')::int",
            r => new LockTableSize(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)),
            cancellationToken);

    /// <summary>Closing the connection rolls back any open transaction and releases the advisory lock.</summary>
    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
