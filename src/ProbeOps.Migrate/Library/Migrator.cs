using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate;

/// <summary>
/// The library in one type: migrates one database from its sources, under the migration lock, and tells where the
/// database stands. Built from <see cref="MigratorOptions"/>; everything the command line does is on
/// <see cref="Commands"/>. Dispose it to close the provider's connections and delete any temporary directory.
/// </summary>
/// <example>
/// <code>
/// await using var migrator = Migrator.Create(o => o.UseSqlite("app.db").FromDirectory("migrations"));
/// await migrator.UpgradeAsync(cancellationToken);
/// </code>
/// </example>
public sealed partial class Migrator : IAsyncDisposable
{
    private readonly ProviderRegistry _providers;
    private readonly MigrationFolder _folder;
    private readonly ILogger _logger;

    public Migrator(MigratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Database is null || options.Provider is null)
        {
            throw new MigrateException(
                FailureKind.Usage,
                "No database given: call UsePostgreSql(connectionString) or UseSqlite(path) on the options.");
        }

        _folder = MigrationFolder.Of([.. options.Sources]);
        _providers = new ProviderRegistry([options.Provider(options.Time)]);
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Migrator>();
        Sources = [.. options.Sources];
        Commands = new MigrationCommands(options.Settings(_folder.Path), _providers, options.Time, new LoggingMigrationObserver(_logger));
    }

    /// <summary>Builds the options with <paramref name="configure"/> and a migrator from them.</summary>
    public static Migrator Create(Action<MigratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new MigratorOptions();
        configure(options);
        return new Migrator(options);
    }

    /// <summary>Every command of the command line, as a library call, on this migrator's database and migrations.</summary>
    public MigrationCommands Commands { get; }

    public IReadOnlyList<MigrationSource> Sources { get; }

    /// <summary>The database as it is safe to show (no password).</summary>
    public string Database => Commands.Context.Target.Display;

    /// <summary>
    /// Applies every pending migration (all heads) in one transaction under the migration lock, then resumes or runs
    /// the backfills. Runs started together apply each migration once: the others wait for the lock and find nothing to do.
    /// Throws <see cref="MigrateException"/> (its <see cref="MigrateException.Kind"/> is the command line's exit code) when it cannot.
    /// </summary>
    public async Task<RunResult> UpgradeAsync(CancellationToken cancellationToken = default)
    {
        LogUpgrading(_logger, Database, string.Join(", ", Sources.Select(s => s.Description)));
        var result = await Commands.UpgradeAsync(new RunRequest("heads"), cancellationToken);
        LogUpgraded(_logger, Database, result.Steps.Count, string.Join(", ", result.HeadsAfter));
        return result;
    }

    /// <summary>Applied, pending, edited and unknown revisions, unfinished backfills (the command line's <c>status</c>).</summary>
    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken = default) => Commands.StatusAsync(cancellationToken);

    /// <summary>
    /// The status and, with <paramref name="checkDrift"/>, drift against the schema the tool recorded after its last
    /// change (no shadow database needed). Takes no lock and changes nothing.
    /// </summary>
    public async Task<MigrationCheck> CheckAsync(bool checkDrift = true, CancellationToken cancellationToken = default)
    {
        var status = await StatusAsync(cancellationToken);
        if (!checkDrift || status.Edited.Count > 0 || status.Unknown.Count > 0)
        {
            return new MigrationCheck(status, null, checkDrift ? "the history does not match the files" : null);
        }

        try
        {
            var drift = await Commands.DriftAsync(new DriftOptions { Method = DriftMethod.Recorded, UseCache = false }, cancellationToken);
            return new MigrationCheck(status, drift, null);
        }
        catch (MigrateException e) when (e.Kind == FailureKind.Usage)
        {
            return new MigrationCheck(status, null, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _providers.DisposeAsync();
        _folder.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Migrating {Database} from {Sources}")]
    private static partial void LogUpgrading(ILogger logger, string database, string sources);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Database}: {Applied} migrations applied; at {Heads}")]
    private static partial void LogUpgraded(ILogger logger, string database, int applied, string heads);
}
