using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// Every setting a command reads, already merged from flags, environment, config file and defaults
/// (SPEC §4). Paths are absolute once loaded.
/// </summary>
public sealed record MigrateSettings
{
    public const string DefaultConfigFileName = "probeops-migrate.json";
    public static readonly TimeSpan DefaultWaitForLock = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultStatementTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The config file that was read, if any.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The environment of the config file these settings come from (SPEC §14); null: its top-level settings.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// Whether that environment is protected: what cannot be undone without a backup is refused, and
    /// destructive or risk-accepting commands need more (<see cref="ProtectedEnvironment"/>).
    /// </summary>
    public bool Protected { get; init; }

    /// <summary>The database setting (URL or connection string). May hold a password: never print it.</summary>
    public string? Database { get; init; }

    public string MigrationsDirectory { get; init; } = Path.GetFullPath("migrations");

    /// <summary>Where the stat cache of the migration files lives (<see cref="Files.FileStatCache"/>); null reads every file every time.</summary>
    public string? FileCacheDirectory { get; init; }

    /// <summary>
    /// C# code migrations registered by the application (<see cref="Code.CodeMigrations"/>): revisions of the same
    /// graph as the files of <see cref="MigrationsDirectory"/>. The command-line tool has none.
    /// </summary>
    public Code.CodeMigrations CodeMigrations { get; init; } = Code.CodeMigrations.None;

    public string BackupDirectory { get; init; } = Path.GetFullPath("backups");

    public string LogDirectory { get; init; } = Path.GetFullPath("deployment_logs");

    public string HistoryTable { get; init; } = HistoryTableName.DefaultTable;

    /// <summary>The schema of the history tables (PostgreSQL); null means <c>public</c>.</summary>
    public string? HistorySchema { get; init; }

    /// <summary>
    /// The schema a fleet's schema target (SPEC §12) runs in: first on the <c>search_path</c>, holding the history
    /// tables, and the only one inspected and compared. Null: the whole database.
    /// </summary>
    public string? TargetSchema { get; init; }

    /// <summary>How long to wait for another run's migration lock (SPEC §6 step 4).</summary>
    public TimeSpan WaitForLock { get; init; } = DefaultWaitForLock;

    /// <summary>PostgreSQL <c>lock_timeout</c> for migration statements; zero disables it.</summary>
    public TimeSpan LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>PostgreSQL <c>statement_timeout</c> for migration statements; zero disables it.</summary>
    public TimeSpan StatementTimeout { get; init; } = DefaultStatementTimeout;

    /// <summary>How many times a statement that hit <c>lock_timeout</c> is retried before the run fails.</summary>
    public int LockRetries { get; init; } = 5;

    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>Extra connection attempts after a refused or timed-out one.</summary>
    public int ConnectRetries { get; init; } = 3;

    /// <summary>Where <c>pg_dump</c>, <c>pg_restore</c> and <c>psql</c> are looked for before PATH.</summary>
    public string? PgBinDirectory { get; init; }

    /// <summary>An existing, empty database to replay migrations into when none may be created (drift, snapshot).</summary>
    public string? ShadowDatabase { get; init; }

    /// <summary>Values of <c>${name}</c> placeholders in migrations: the config file's <c>placeholders</c>, then <c>--placeholder</c>.</summary>
    public IReadOnlyDictionary<string, string> Placeholders { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Rule severities and disabled rules from the config file's <c>lint</c> object.</summary>
    public LintSettings Lint { get; init; } = LintSettings.Default;

    /// <summary>
    /// Which migration lock to take (<c>PROBEOPS_LOCK</c>: auto, advisory or row) and the lease of a lock row
    /// (<c>PROBEOPS_LOCK_LEASE</c>); by default the server's capabilities decide.
    /// </summary>
    public MigrationLockOptions MigrationLock { get; init; } = MigrationLockOptions.Default;

    public HistoryTableName History => new(HistoryTable, HistorySchema);

    public SessionOptions ToSessionOptions() => new(
        History,
        ConnectTimeout,
        ConnectRetries,
        LockTimeout,
        StatementTimeout)
    {
        TargetSchema = TargetSchema,
        Lock = MigrationLock,
    };

    /// <summary>The database setting, or a usage error saying how to give one.</summary>
    public string RequireDatabase() =>
        Database ?? throw new MigrateException(
            FailureKind.Usage,
            "No database given: pass --database URL, set DATABASE_URL, or put \"database\" in probeops-migrate.json (e.g. sqlite:app.db).");
}
