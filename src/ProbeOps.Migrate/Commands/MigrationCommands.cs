using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// The library's entry point: one method per command-line verb, each returning a result object.
/// The CLI is a thin layer over this class; an application can call the same methods to validate,
/// plan and apply migrations. Nothing here writes to the console.
/// </summary>
public sealed partial class MigrationCommands
{
    private readonly MigrateSettings _settings;
    private readonly ProviderRegistry _providers;
    private readonly TimeProvider _time;
    private readonly IMigrationObserver _observer;
    private readonly Actor _actor;

    public MigrationCommands(
        MigrateSettings settings,
        ProviderRegistry providers,
        TimeProvider? time = null,
        IMigrationObserver? observer = null,
        Actor? actor = null)
    {
        _settings = settings;
        _providers = providers;
        _time = time ?? TimeProvider.System;
        _observer = observer ?? NullMigrationObserver.Instance;
        _actor = actor ?? Actor.Current;
    }

    public MigrateSettings Settings => _settings;

    /// <summary>Loads and validates the migrations; throws (exit 3) listing every error when they are not valid.</summary>
    public RevisionGraph LoadGraph(bool allowMultipleHeads = true)
    {
        var result = Validate(allowMultipleHeads);
        if (!result.IsValid || result.Graph is null)
        {
            var errors = result.Errors.ToList();
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"The migrations in {result.MigrationsDirectory} are not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}); run `probeops-migrate validate` to list them.",
                result.Diagnostics);
        }

        return result.Graph;
    }

    /// <summary>
    /// For commands that need a database: the setting is checked before the files, so a missing or
    /// malformed database setting is reported as the usage error it is.
    /// </summary>
    private RevisionGraph LoadGraphForDatabase()
    {
        _providers.Resolve(_settings.RequireDatabase());
        return LoadGraph();
    }

    /// <summary>
    /// Loads the migrations and opens a session on a database server at the same time: parsing files is
    /// work for the CPU, connecting mostly waits for the server. Invalid files still decide the outcome:
    /// their error is the one reported and the connection attempt is abandoned. An embedded database
    /// is opened only once the files are known to be valid, so nothing is created for a failed check.
    /// </summary>
    private async Task<(RevisionGraph Graph, IDatabaseProvider Provider, IDatabaseSession Session)> LoadGraphAndOpenSessionAsync(
        CancellationToken cancellationToken)
    {
        var (provider, target) = _providers.Resolve(_settings.RequireDatabase());
        if (!provider.Capabilities.ServerProcess)
        {
            var loaded = LoadGraph();
            return (loaded, provider, await provider.OpenSessionAsync(target, _settings.ToSessionOptions(), cancellationToken));
        }

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var opening = Task.Run(() => provider.OpenSessionAsync(target, _settings.ToSessionOptions(), abandon.Token), abandon.Token);
        RevisionGraph graph;
        try
        {
            graph = LoadGraph();
        }
        catch
        {
            await abandon.CancelAsync();
            try
            {
                await (await opening).DisposeAsync();
            }
            catch (Exception)
            {
                // Whatever the connection attempt ran into, the files' error is the one to report.
            }

            throw;
        }

        return (graph, provider, await opening);
    }

    /// <summary>Opens a migration session on the configured database.</summary>
    public async Task<(IDatabaseProvider Provider, IDatabaseSession Session)> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var (provider, target) = _providers.Resolve(_settings.RequireDatabase());
        var session = await provider.OpenSessionAsync(target, _settings.ToSessionOptions(), cancellationToken);
        return (provider, session);
    }

    /// <summary>The masked form of the configured database, safe to show.</summary>
    public string DatabaseDisplay() => _providers.Resolve(_settings.RequireDatabase()).Target.Display;

    private RunOptions NewRunOptions(TransactionMode mode, bool dryRun) =>
        new(mode, dryRun, _settings.LockRetries, ToolInfo.NewDeployId(_time), _actor);

    /// <summary>
    /// Appends an audit row, on a second connection when the session's is gone; a failure to write it
    /// at all (say, the server is down) is a notice, not a second error.
    /// </summary>
    private async Task AuditAsync(IDatabaseSession session, RunOptions options, string operation, DateTimeOffset started, string outcome, IEnumerable<string> revisions, string? detail)
    {
        var problem = await AuditWriter.For(_settings, _providers, _time, options.Actor)
            .AppendAsync(session, options.DeployId, operation, started, outcome, revisions, detail);
        if (problem is not null)
        {
            _observer.Notice(problem);
        }
    }

    /// <summary>The dialect files are parsed with when none is given: the configured database's, else PostgreSQL's.</summary>
    private ISqlDialect FilesDialect() => _providers.DialectOf(_settings.Database) ?? SqlDialects.Default;
}
