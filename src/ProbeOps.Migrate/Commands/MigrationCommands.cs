using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// The library's entry point: one method per command-line verb, each returning a result object.
/// Every database verb is a small type (<see cref="RunVerb"/>, <see cref="StampVerb"/>, ...) run by
/// one <see cref="DatabaseOperation"/>; this class resolves the database setting once and hands the
/// verbs their context. The CLI is a thin layer over it; nothing here writes to the console.
/// </summary>
public sealed class MigrationCommands(
    MigrateSettings settings,
    ProviderRegistry providers,
    TimeProvider? time = null,
    IMigrationObserver? observer = null,
    Actor? actor = null,
    IMigrationLinter? linter = null)
{
    private readonly IMigrationLinter _linter = linter ?? new MigrationLinter();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Actor _actor = actor ?? Actor.Current;
    private GraphLoader? _graphs;
    private MigrationContext? _context;

    public MigrateSettings Settings => settings;

    /// <summary>
    /// The migrations, read with the database's dialect: the resolved one's once a database verb ran, else
    /// the configured database's if it names one, else PostgreSQL's (the file verbs need no database).
    /// </summary>
    private GraphLoader Graphs => _graphs ??= _context?.Graphs ?? FileGraphs();

    /// <summary>The resolved database, provider and everything else a database verb needs; throws (exit 2) without a usable database setting.</summary>
    public MigrationContext Context => _context ??= MigrationContext.Create(settings, providers, _time, observer, _actor);

    /// <summary>Opens a migration session on the configured database.</summary>
    public async Task<(IDatabaseProvider Provider, IDatabaseSession Session)> OpenSessionAsync(CancellationToken cancellationToken) =>
        (Context.Provider, await Context.OpenSessionAsync(cancellationToken));

    /// <summary>Loads and validates the migrations; throws (exit 3) listing every error when they are not valid.</summary>
    public RevisionGraph LoadGraph(bool allowMultipleHeads = true) => Graphs.Load(allowMultipleHeads);

    /// <summary>
    /// Checks files and graph; needs no database. Files are read with <paramref name="dialect"/>'s rules, by default
    /// the configured database's (PostgreSQL's when there is none). Never throws for bad files: every problem is a
    /// diagnostic.
    /// </summary>
    public ValidateResult Validate(bool allowMultipleHeads = false, ISqlDialect? dialect = null) => Graphs.Validate(allowMultipleHeads, dialect);

    public InitResult Init(string directory) => InitVerb.Run(directory);

    public NewRevisionResult New(string message) => Writer().New(message);

    public NewRevisionResult Merge(string message, IReadOnlyList<string> revisions) => Writer().Merge(message, revisions);

    /// <summary>Writes one <c>.sql</c> revision per revision of the Alembic project at <paramref name="project"/> (SPEC §13), with <paramref name="alembicCommand"/> writing the SQL.</summary>
    public Task<AlembicImportResult> ImportAlembicAsync(string project, string alembicCommand, CancellationToken cancellationToken) =>
        new AlembicImporter(settings.MigrationsDirectory, alembicCommand, _time).ImportAsync(project, cancellationToken);

    public IReadOnlyList<RevisionInfo> Heads() => new GraphQueries(Graphs).Heads();

    public IReadOnlyList<RevisionInfo> History() => new GraphQueries(Graphs).History();

    public (RevisionInfo Revision, MigrationFile? File) Show(string revision) => new GraphQueries(Graphs).Show(revision);

    public Task<CurrentResult> CurrentAsync(CancellationToken cancellationToken) => RunAsync(new CurrentVerb(), cancellationToken);

    public Task<StatusResult> StatusAsync(CancellationToken cancellationToken) => RunAsync(new StatusVerb(), cancellationToken);

    public Task<RunResult> UpgradeAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(new RunVerb(MigrationDirection.Upgrade, request), cancellationToken);

    public Task<RunResult> DowngradeAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(new RunVerb(MigrationDirection.Downgrade, request), cancellationToken);

    public Task<ScriptResult> ScriptAsync(MigrationDirection direction, string targetText, TransactionMode mode, CancellationToken cancellationToken) =>
        RunAsync(new ScriptVerb(direction, targetText, mode), cancellationToken);

    /// <summary>
    /// <c>upgrade --sql</c> / <c>downgrade --sql</c> without connecting: the database is assumed to stand at
    /// <see cref="ScriptRange.From"/> (<c>base</c> when the range has none; a downgrade needs one).
    /// </summary>
    public ScriptResult WriteOfflineScript(MigrationDirection direction, ScriptRange range, ISqlDialect? dialect, TransactionMode mode) =>
        new OfflineScript(settings, providers, _time, _actor).Write(direction, range, dialect, mode);

    public Task<StampResult> StampAsync(string targetText, CancellationToken cancellationToken) =>
        RunAsync(new StampVerb(targetText), cancellationToken);

    /// <summary>Accepts the edited file of an applied revision: new checksum recorded, with <paramref name="reason"/> in the audit log.</summary>
    public Task<AmendResult> AmendAsync(string revision, string reason, CancellationToken cancellationToken) =>
        RunAsync(new AmendVerb(revision, reason), cancellationToken);

    public Task<ResetResult> ResetAsync(string? confirmDatabaseName, bool noBackup, CancellationToken cancellationToken) =>
        RunAsync(new ResetVerb(confirmDatabaseName, noBackup), cancellationToken);

    public Task<DriftReport> DriftAsync(DriftOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RunAsync(new DriftVerb(options), cancellationToken);
    }

    public Task<SnapshotResult> SnapshotAsync(SnapshotRequest request, DriftOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return RunAsync(new SnapshotVerb(request, options), cancellationToken);
    }

    public Task<BackupResult> BackupAsync(string? output, int? keep, CancellationToken cancellationToken) =>
        RunAsync(new BackupVerb(output, keep), cancellationToken);

    public Task<RestoreResult> RestoreAsync(string file, string? confirmDatabaseName, CancellationToken cancellationToken) =>
        RunAsync(new RestoreVerb(file, confirmDatabaseName), cancellationToken);

    /// <summary>
    /// Checks revisions for statements dangerous on a database in service (SPEC §10). With a database setting it reads
    /// the server version and the pending revisions first; without one it lints offline.
    /// </summary>
    public async Task<LintResult> LintAsync(LintRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verb = new LintVerb(request, _linter);
        return settings.Database is null ? verb.RunOffline(Graphs, settings) : await RunAsync(verb, cancellationToken);
    }

    /// <summary>The whole safe deploy (SPEC §6). Returns a report whatever happens; the logs are written already.</summary>
    public Task<DeployOutcome> DeployAsync(DeployRequest request, IDeployObserver? observer, CancellationToken cancellationToken) =>
        Pipeline(observer).RunAsync(request, preflight: false, cancellationToken);

    /// <summary>The pre-deploy checks: the deploy's stages that change nothing.</summary>
    public Task<DeployOutcome> PreflightAsync(DeployRequest request, IDeployObserver? observer, CancellationToken cancellationToken) =>
        Pipeline(observer).RunAsync(request, preflight: true, cancellationToken);

    private Task<TResult> RunAsync<TResult>(IDatabaseVerb<TResult> verb, CancellationToken cancellationToken) =>
        new DatabaseOperation(Context).RunLockedAsync(verb, cancellationToken);

    private GraphLoader FileGraphs()
    {
        var dialect = providers.DialectOf(settings.Database) ?? SqlDialects.Default;
        return new GraphLoader(settings.MigrationsDirectory, dialect, MigrationContext.PlaceholdersFor(settings, dialect, ""), settings.FileCacheDirectory) { CodeMigrations = settings.CodeMigrations };
    }

    private RevisionFileWriter Writer() => new(Graphs, settings.MigrationsDirectory, _time);

    private DeployPipeline Pipeline(IDeployObserver? observer) =>
        new(settings, providers, _time, _actor, observer ?? NullDeployObserver.Instance, _linter);
}
