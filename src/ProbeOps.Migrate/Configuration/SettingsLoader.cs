using System.Text.Json;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Configuration;

/// <summary>
/// Merges settings in the order of SPEC §4: command-line flags, then environment, then the config
/// file, then defaults. Paths from the config file are relative to the file; others to the working directory.
/// </summary>
public static class SettingsLoader
{
    public const string ConfigEnvironmentVariable = "PROBEOPS_MIGRATE_CONFIG";
    public const string DatabaseEnvironmentVariable = "DATABASE_URL";
    public const string MigrationsEnvironmentVariable = "PROBEOPS_MIGRATIONS";
    public const string ShadowDatabaseEnvironmentVariable = "PROBEOPS_SHADOW_DATABASE";
    public const string EnvironmentVariable = "PROBEOPS_ENV";
    public const string LockKindEnvironmentVariable = "PROBEOPS_LOCK";
    public const string LockLeaseEnvironmentVariable = "PROBEOPS_LOCK_LEASE";

    /// <summary>
    /// The settings a config file may hold, at the top level and in any environment (which overrides them
    /// key by key, whatever the key: a setting added here is overridable per environment as it is). Anything
    /// else is a usage error: a typo must not be ignored.
    /// </summary>
    public static readonly IReadOnlyList<string> ConfigKeys =
    [
        "database", "migrations", "backupDir", "logDir", "historyTable", "historySchema",
        "waitForLock", "lockTimeout", "statementTimeout", "pgBinDir", "shadowDatabase", "lint", "placeholders",
    ];

    public static MigrateSettings Load(SettingsOverrides flags, Func<string, string?> environment, string workingDirectory)
    {
        var configPath = Resolve(flags.ConfigFile ?? NonEmpty(environment(ConfigEnvironmentVariable)), workingDirectory);
        var explicitConfig = configPath is not null;
        configPath ??= Path.Combine(workingDirectory, MigrateSettings.DefaultConfigFileName);

        ConfigFile? config = null;
        if (File.Exists(configPath))
        {
            config = ConfigFile.Read(configPath, ConfigKeys);
        }
        else if (explicitConfig)
        {
            throw new MigrateException(FailureKind.Usage, $"Config file not found: {configPath}.");
        }
        else
        {
            configPath = null;
        }

        var file = SelectEnvironment(config, flags, environment);
        var configDirectory = configPath is null ? workingDirectory : Path.GetDirectoryName(configPath)!;
        string? FromFile(string key) => file.Get(key);
        string PathSetting(string? flag, string? env, string key, string fallback) =>
            Resolve(flag, workingDirectory) ?? Resolve(env, workingDirectory) ?? Resolve(FromFile(key), configDirectory)
            ?? Path.Combine(workingDirectory, fallback);

        var defaults = new MigrateSettings();
        var settings = new MigrateSettings
        {
            ConfigFile = configPath,
            Environment = file.Environment,
            Protected = file.Protected,
            Database = flags.Database ?? NonEmpty(environment(DatabaseEnvironmentVariable)) ?? RebaseSqlitePath(FromFile("database"), configDirectory),
            MigrationsDirectory = PathSetting(flags.MigrationsDirectory, NonEmpty(environment(MigrationsEnvironmentVariable)), "migrations", "migrations"),
            FileCacheDirectory = Files.FileStatCache.DefaultDirectory(environment),
            BackupDirectory = PathSetting(flags.BackupDirectory, null, "backupDir", "backups"),
            LogDirectory = PathSetting(flags.LogDirectory, null, "logDir", "deployment_logs"),
            HistoryTable = flags.HistoryTable ?? FromFile("historyTable") ?? defaults.HistoryTable,
            HistorySchema = flags.HistorySchema ?? FromFile("historySchema"),
            WaitForLock = Duration(flags.WaitForLock, "--wait-for-lock") ?? Duration(FromFile("waitForLock"), "waitForLock") ?? defaults.WaitForLock,
            LockTimeout = Duration(flags.LockTimeout, "--lock-timeout") ?? Duration(FromFile("lockTimeout"), "lockTimeout") ?? defaults.LockTimeout,
            StatementTimeout = Duration(flags.StatementTimeout, "--statement-timeout") ?? Duration(FromFile("statementTimeout"), "statementTimeout") ?? defaults.StatementTimeout,
            PgBinDirectory = Resolve(flags.PgBinDirectory, workingDirectory) ?? Resolve(FromFile("pgBinDir"), configDirectory),
            // The --shadow-database flag belongs to the drift commands and wins there (DriftOptions.ShadowDatabase).
            ShadowDatabase = NonEmpty(environment(ShadowDatabaseEnvironmentVariable)) ?? RebaseSqlitePath(FromFile("shadowDatabase"), configDirectory),
            Lint = file.Lint,
            Placeholders = PlaceholderSettings.Merge(file.Placeholders, flags.Placeholders),
            MigrationLock = LockOptions(environment),
        };
        ValidateIdentifier(settings.HistoryTable, "history table");
        if (settings.HistorySchema is { } schema)
        {
            ValidateIdentifier(schema, "history schema");
        }

        settings.History.Validate();
        return settings;
    }

    /// <summary>The config file's values for the environment of <c>--env</c> or <c>PROBEOPS_ENV</c>, else its top-level ones.</summary>
    private static ConfigValues SelectEnvironment(ConfigFile? config, SettingsOverrides flags, Func<string, string?> environment)
    {
        var (name, source) = flags.Environment is { } flag
            ? (flag, "--env")
            : (NonEmpty(environment(EnvironmentVariable)), EnvironmentVariable);
        if (name is null)
        {
            return config?.Select(null, environment, source) ?? ConfigValues.None;
        }

        return config?.Select(name, environment, source) ?? throw ConfigFile.UnknownEnvironment(name, source, null, []);
    }

    /// <summary>A relative <c>sqlite:PATH</c> in the config file is relative to the file, like every other path there.</summary>
    private static string? RebaseSqlitePath(string? database, string configDirectory)
    {
        const string scheme = "sqlite:";
        if (database is null || !database.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return database;
        }

        var path = database[scheme.Length..];
        return path.Length == 0 || path.StartsWith(':') || Path.IsPathRooted(path)
            ? database
            : scheme + Path.GetFullPath(path, configDirectory);
    }

    /// <summary>The migration lock from <c>PROBEOPS_LOCK</c> and <c>PROBEOPS_LOCK_LEASE</c>: for a server whose probe is wrong, and for tests.</summary>
    private static MigrationLockOptions LockOptions(Func<string, string?> environment)
    {
        var kind = NonEmpty(environment(LockKindEnvironmentVariable))?.Trim().ToLowerInvariant() switch
        {
            null or "auto" => MigrationLockKind.Auto,
            "advisory" => MigrationLockKind.Advisory,
            "row" => MigrationLockKind.Row,
            var other => throw new MigrateException(
                FailureKind.Usage, $"{LockKindEnvironmentVariable}={other} is not a lock kind: use auto, advisory or row."),
        };
        var lease = Duration(NonEmpty(environment(LockLeaseEnvironmentVariable)), LockLeaseEnvironmentVariable) ?? MigrationLockOptions.DefaultLease;
        if (lease < TimeSpan.FromSeconds(1))
        {
            throw new MigrateException(FailureKind.Usage, $"{LockLeaseEnvironmentVariable} must be at least 1s: a shorter lease could lapse between two renewals.");
        }

        return MigrationLockOptions.ForLease(kind, lease);
    }

    private static TimeSpan? Duration(string? text, string name) => text is null ? null : Durations.Parse(text, name);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string? Resolve(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, baseDirectory);

    private static void ValidateIdentifier(string name, string what)
    {
        // Quoting makes any name safe in SQL; this only keeps out names no one means to use.
        if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) > HistoryTableName.MaxIdentifierBytes || name.Any(c => char.IsControl(c)))
        {
            throw new MigrateException(FailureKind.Usage, $"The {what} name '{name}' is not valid: use printable characters, 1 to {HistoryTableName.MaxIdentifierBytes} bytes.");
        }
    }
}
