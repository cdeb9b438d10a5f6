using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Drift;

namespace ProbeOps.Migrate.Operations;

/// <summary>
/// Everything an operation on one database needs, resolved once: the settings, the provider and
/// target the database setting names, the migrations, the clock, who runs it and who listens. One
/// context is one target; a runner over many databases makes one per target.
/// </summary>
public sealed record MigrationContext
{
    public required MigrateSettings Settings { get; init; }

    /// <summary>Every provider the application knows (a shadow database is resolved with them).</summary>
    public required ProviderRegistry Providers { get; init; }

    public required IDatabaseProvider Provider { get; init; }

    /// <summary>The database this context runs on; its <see cref="DatabaseTarget.Display"/> is safe to show.</summary>
    public required DatabaseTarget Target { get; init; }

    public required GraphLoader Graphs { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Actor Actor { get; init; } = Actor.Current;

    public IMigrationObserver Observer { get; init; } = NullMigrationObserver.Instance;

    private IBackupTool? _backupTool;

    /// <summary>Resolves the database setting; throws (exit 2) when it is missing or no provider knows it.</summary>
    public static MigrationContext Create(
        MigrateSettings settings,
        ProviderRegistry providers,
        TimeProvider? time = null,
        IMigrationObserver? observer = null,
        Actor? actor = null)
    {
        var (provider, target) = providers.Resolve(settings.RequireDatabase());
        return new MigrationContext
        {
            Settings = settings,
            Providers = providers,
            Provider = provider,
            Target = target,
            Graphs = new GraphLoader(settings.MigrationsDirectory, provider.Dialect, PlaceholdersFor(settings, provider.Dialect, target.DatabaseName), settings.FileCacheDirectory) { CodeMigrations = settings.CodeMigrations },
            Time = time ?? TimeProvider.System,
            Actor = actor ?? Actor.Current,
            Observer = observer ?? NullMigrationObserver.Instance,
        };
    }

    /// <summary>
    /// The placeholder values of a run: the configured ones, and the built-ins. <c>${environment}</c> is empty
    /// until an environment is selected; <c>${schema}</c> is the schema of the tool's tables (empty on SQLite).
    /// </summary>
    public static PlaceholderValues PlaceholdersFor(MigrateSettings settings, ISqlDialect dialect, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(dialect);
        var schema = dialect.DefaultSchema is null ? "" : settings.HistorySchema ?? dialect.DefaultSchema;
        return new PlaceholderValues(settings.Placeholders, databaseName, schema, settings.Environment ?? "");
    }

    /// <summary>
    /// The repeatables as <paramref name="rows"/> last recorded them, in file-name order, with this run's placeholder
    /// values: what the database should hold of them, whatever the files say now.
    /// </summary>
    public IReadOnlyList<RepeatableMigration> RecordedRepeatables(IReadOnlyList<AppliedRepeatable> rows) =>
        [.. AppliedRepeatable.LastOfEach(rows).Values
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => MigrationPlaceholders.FromRecord(r.Name, r.Checksum, r.Sql, Settings.MigrationsDirectory, Provider.Dialect, Graphs.Placeholders))];

    /// <summary>Opens a migration session on the target.</summary>
    public Task<IDatabaseSession> OpenSessionAsync(CancellationToken cancellationToken) =>
        Provider.OpenSessionAsync(Target, Settings.ToSessionOptions(), cancellationToken);

    /// <summary>Options for one run, with a new deploy id.</summary>
    public RunOptions NewRunOptions(TransactionMode mode = TransactionMode.Single, bool dryRun = false) =>
        new(mode, dryRun, Settings.LockRetries, ToolInfo.NewDeployId(Time), Actor);

    /// <summary>The audit log of one run on <paramref name="session"/>; rows that cannot be written are told to <paramref name="problem"/>.</summary>
    public RunAudit AuditFor(IDatabaseSession session, string deployId, Action<string> problem) =>
        new(new AuditWriter(Provider, Target, Settings.ToSessionOptions(), Time, Actor, Settings.Environment), session, deployId, problem);

    /// <summary>
    /// The provider's backup tool for this run: one per context, so what it learnt of the client programs
    /// (<see cref="IBackupTool.StartClientProbe"/>) is asked once and serves every check of the run.
    /// </summary>
    public IBackupTool BackupTool() =>
        LazyInitializer.EnsureInitialized(ref _backupTool, () => Provider.BackupTool(new ClientToolOptions(Settings.PgBinDirectory)));

    /// <summary>The backup tool, once its client programs are known to handle this server (exit 5 otherwise).</summary>
    public async Task<IBackupTool> CompatibleBackupToolAsync(IDatabaseSession session, CancellationToken cancellationToken)
    {
        var tool = BackupTool();
        var check = await tool.CheckClientAsync(session, cancellationToken);
        if (!check.IsCompatible)
        {
            throw new MigrateException(FailureKind.VersionMismatch, string.Join(" ", check.Problems));
        }

        return tool;
    }

    public ExpectedSchemaBuilder ExpectedSchemas(DriftOptions options) =>
        new(Provider, Settings, Providers, options, Time, Observer, Actor);

    /// <summary>
    /// Throws (exit 10) unless <paramref name="confirmation"/> is exactly the database's name. Without one, the
    /// message opens with <paramref name="why"/> (default: this destroys data in the database).
    /// </summary>
    public void RequireConfirmation(string? confirmation, string? why = null)
    {
        if (confirmation is null)
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"{why ?? "This destroys data in " + Target.Display}: confirm with --confirm {Target.DatabaseName}.");
        }

        if (!string.Equals(confirmation, Target.DatabaseName, StringComparison.Ordinal))
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"The confirmation '{confirmation}' does not match the database name '{Target.DatabaseName}': nothing was changed.");
        }
    }
}
