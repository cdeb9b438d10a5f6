using System.Text.Json;
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

    /// <summary>The keys a config file may hold. Anything else is a usage error: a typo must not be ignored.</summary>
    public static readonly IReadOnlyList<string> ConfigKeys =
    [
        "database", "migrations", "backupDir", "logDir", "historyTable", "historySchema",
        "waitForLock", "lockTimeout", "statementTimeout", "pgBinDir", "shadowDatabase", "placeholders",
    ];

    public static MigrateSettings Load(SettingsOverrides flags, Func<string, string?> environment, string workingDirectory)
    {
        var configPath = Resolve(flags.ConfigFile ?? NonEmpty(environment(ConfigEnvironmentVariable)), workingDirectory);
        var explicitConfig = configPath is not null;
        configPath ??= Path.Combine(workingDirectory, MigrateSettings.DefaultConfigFileName);

        var file = ConfigFile.Empty;
        if (File.Exists(configPath))
        {
            file = ConfigFile.Read(configPath);
        }
        else if (explicitConfig)
        {
            throw new MigrateException(FailureKind.Usage, $"Config file not found: {configPath}.");
        }
        else
        {
            configPath = null;
        }

        var configDirectory = configPath is null ? workingDirectory : Path.GetDirectoryName(configPath)!;
        string? FromFile(string key) => file.Get(key);
        string PathSetting(string? flag, string? env, string key, string fallback) =>
            Resolve(flag, workingDirectory) ?? Resolve(env, workingDirectory) ?? Resolve(FromFile(key), configDirectory)
            ?? Path.Combine(workingDirectory, fallback);

        var defaults = new MigrateSettings();
        var settings = new MigrateSettings
        {
            ConfigFile = configPath,
            Database = flags.Database ?? NonEmpty(environment(DatabaseEnvironmentVariable)) ?? RebaseSqlitePath(FromFile("database"), configDirectory),
            MigrationsDirectory = PathSetting(flags.MigrationsDirectory, NonEmpty(environment(MigrationsEnvironmentVariable)), "migrations", "migrations"),
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
            Placeholders = PlaceholderSettings.Merge(file.Placeholders, flags.Placeholders),
        };
        ValidateIdentifier(settings.HistoryTable, "history table");
        if (settings.HistorySchema is { } schema)
        {
            ValidateIdentifier(schema, "history schema");
        }

        settings.History.Validate();
        return settings;
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

    /// <summary>A parsed <c>probeops-migrate.json</c>: string values by key.</summary>
    private sealed class ConfigFile(Dictionary<string, string> values, IReadOnlyDictionary<string, string> placeholders)
    {
        public static readonly ConfigFile Empty = new([], new Dictionary<string, string>());

        public string? Get(string key) => values.GetValueOrDefault(key);

        /// <summary>The <c>placeholders</c> object: values by name.</summary>
        public IReadOnlyDictionary<string, string> Placeholders => placeholders;

        public static ConfigFile Read(string path)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                throw new MigrateException(FailureKind.Usage, $"Cannot read config file {path}: {FirstLine(ex.Message)}");
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new MigrateException(FailureKind.Usage, $"Config file {path} must hold a JSON object.");
                }

                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                IReadOnlyDictionary<string, string> placeholders = new Dictionary<string, string>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name == "placeholders")
                    {
                        placeholders = PlaceholderSettings.Read(property.Value, path);
                        continue;
                    }

                    if (!ConfigKeys.Contains(property.Name, StringComparer.Ordinal))
                    {
                        throw new MigrateException(
                            FailureKind.Usage,
                            $"Config file {path}: unknown key \"{property.Name}\"; known keys are {string.Join(", ", ConfigKeys)}.");
                    }

                    values[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Number => property.Value.GetRawText(),
                        _ => throw new MigrateException(FailureKind.Usage, $"Config file {path}: \"{property.Name}\" must be a string."),
                    };
                }

                return new ConfigFile(values, placeholders);
            }
        }

        private static string FirstLine(string message) => message.Split('\n')[0].Trim();
    }
}
