using System.Reflection;
using Microsoft.Extensions.Logging;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate;

/// <summary>
/// What a <see cref="Migrator"/> runs on and with: the database (<c>UsePostgreSql</c>, <c>UseSqlite</c> from the
/// provider packages), where the migrations are (<see cref="FromDirectory"/>, <see cref="FromEmbeddedResources"/>),
/// logging, and the settings the command line takes from flags and the config file. Every method returns the
/// options, so a configuration reads as one chain.
/// </summary>
public sealed class MigratorOptions
{
    private readonly List<Func<MigrateSettings, MigrateSettings>> _settings = [];

    /// <summary>The database setting (URL or connection string). May hold a password: never log it.</summary>
    public string? Database { get; private set; }

    /// <summary>Makes the provider of <see cref="Database"/>; set with the database.</summary>
    public Func<TimeProvider, IDatabaseProvider>? Provider { get; private set; }

    /// <summary>Where the migrations come from; all of them form one revision graph.</summary>
    public IList<MigrationSource> Sources { get; } = [];

    public ILoggerFactory? LoggerFactory { get; private set; }

    public TimeProvider Time { get; private set; } = TimeProvider.System;

    /// <summary>
    /// The database to migrate, and the provider that speaks to it. The provider packages call this for you
    /// (<c>UsePostgreSql(connectionString)</c>, <c>UseSqlite(path)</c>).
    /// </summary>
    public MigratorOptions UseDatabase(string setting, Func<TimeProvider, IDatabaseProvider> provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        ArgumentNullException.ThrowIfNull(provider);
        Database = setting;
        Provider = provider;
        return this;
    }

    /// <summary>The <c>.sql</c> files of a directory (and its <c>repeatable/</c> folder); a relative path is resolved against the current directory.</summary>
    public MigratorOptions FromDirectory(string directory) => AddSource(new DirectoryMigrationSource(directory));

    /// <summary>The <c>.sql</c> files embedded in <paramref name="assembly"/> from its project's <paramref name="folder"/>.</summary>
    public MigratorOptions FromEmbeddedResources(Assembly assembly, string folder = "migrations") =>
        AddSource(new EmbeddedMigrationSource(assembly, folder));

    public MigratorOptions AddSource(MigrationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Sources.Add(source);
        return this;
    }

    public MigratorOptions UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        LoggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    public MigratorOptions UseTimeProvider(TimeProvider time)
    {
        Time = time ?? throw new ArgumentNullException(nameof(time));
        return this;
    }

    /// <summary>
    /// Any other setting the command line takes from flags or the config file: history table, timeouts, lock wait,
    /// placeholders, environment name (<c>o.Configure(s => s with { WaitForLock = TimeSpan.FromMinutes(5) })</c>).
    /// </summary>
    public MigratorOptions Configure(Func<MigrateSettings, MigrateSettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _settings.Add(change);
        return this;
    }

    /// <summary>A value for <c>${name}</c> in the migrations.</summary>
    public MigratorOptions WithPlaceholder(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        return Configure(s => s with
        {
            Placeholders = new Dictionary<string, string>(s.Placeholders, StringComparer.Ordinal) { [name] = value },
        });
    }

    /// <summary>
    /// C# code migrations that join the migration files in one revision graph:
    /// <c>CodeMigrations.FromAssembly(typeof(Program).Assembly)</c>, or <c>CodeMigrations.Of(...)</c> in a trimmed app.
    /// </summary>
    public MigratorOptions WithCodeMigrations(Code.CodeMigrations migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return Configure(s => s with { CodeMigrations = migrations });
    }

    /// <summary>The settings the engine runs with, the migrations read from <paramref name="migrationsDirectory"/>.</summary>
    internal MigrateSettings Settings(string migrationsDirectory)
    {
        var settings = new MigrateSettings { Database = Database, MigrationsDirectory = migrationsDirectory };
        return _settings.Aggregate(settings, (current, change) => change(current)) with { Database = Database, MigrationsDirectory = migrationsDirectory };
    }
}
