using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>What the database held before the run, as the inspect stage found it.</summary>
/// <param name="State">Empty, unversioned or versioned.</param>
/// <param name="Applied">The revisions applied, or about to be stamped.</param>
/// <param name="StampRows">The history rows the apply stage writes first, for an unversioned database.</param>
/// <param name="Backfilling">The history rows of applied revisions whose backfill has not finished.</param>
public sealed record Inspection(
    DatabaseState State, IReadOnlySet<string> Applied, IReadOnlyList<AppliedRevision> StampRows, IReadOnlyList<AppliedRevision> Backfilling)
{
    /// <summary>Every recorded application of a repeatable migration.</summary>
    public IReadOnlyList<AppliedRepeatable> Repeatables { get; init; } = [];

    /// <summary>The Alembic database this deploy adopts (SPEC §13): its stamp rows are <see cref="StampRows"/>.</summary>
    public AdoptedAlembic? Alembic { get; init; }
}

/// <summary>
/// One deploy or preflight as its stages fill it in: each stage reads what the ones before it found
/// and adds its own. The report is made from it once, at the end, whatever happened.
/// </summary>
public sealed class DeployState(MigrateSettings settings, DeployRequest request, bool preflight, string deployId, DateTimeOffset startedAt, IDeployObserver observer) : IAsyncDisposable
{
    private MigrationContext? _context;
    private RunAudit? _audit;
    private DeploySchemas? _schemas;

    public DeployRequest Request => request;

    public bool Preflight => preflight;

    public string DeployId => deployId;

    public DateTimeOffset StartedAt => startedAt;

    public IDeployObserver Observer => observer;

    /// <summary>The target and everything resolved with it; set before the first stage.</summary>
    public MigrationContext Context
    {
        get => _context ?? throw new InvalidOperationException("The deploy has no context yet.");
        set => _context = value;
    }

    public bool HasContext => _context is not null;

    public List<string> Warnings { get; } = [];

    public List<StageReport> Stages { get; } = [];

    /// <summary>The database, masked; set when the connect stage starts.</summary>
    public string? Database { get; set; }

    public RevisionGraph? Graph { get; set; }

    public IDatabaseSession? Session { get; set; }

    /// <summary>The migration lock, held from the lock stage to the end of the run.</summary>
    public IAsyncDisposable? Lock { get; set; }

    public ClientToolsReport? Clients { get; set; }

    public Inspection? Inspection { get; set; }

    public MigrationPlan? Plan { get; set; }

    /// <summary>What lint found in the pending revisions; null until the lint stage ran.</summary>
    public LintReport? Lint { get; set; }

    public BackupInfo? Backup { get; set; }

    /// <summary>Which expected-schema check the drift stage made (<see cref="Drift.DriftChecks"/>); null when it did not get that far.</summary>
    public string? DriftCheck { get; set; }

    /// <summary>What the apply stage applied; null until it succeeds.</summary>
    public IReadOnlyList<StepResult>? Steps { get; set; }

    /// <summary>The backfills the apply stage ran; null until it succeeds (a failure carries its own).</summary>
    public IReadOnlyList<BackfillResult>? Backfills { get; set; }

    public RevisionGraph RequireGraph => Graph ?? throw new InvalidOperationException("The validate stage has not run.");

    public IDatabaseSession RequireSession => Session ?? throw new InvalidOperationException("The connect stage has not run.");

    public Inspection RequireInspection => Inspection ?? throw new InvalidOperationException("The inspect stage has not run.");

    public MigrationPlan RequirePlan => Plan ?? throw new InvalidOperationException("The plan stage has not run.");

    /// <summary>The upgrade a deploy makes: every head (the one head of a merged graph), from what inspect found applied.</summary>
    public MigrationPlan PlanToHeads()
    {
        var graph = RequireGraph;
        var target = graph.Heads.Count == 1 ? Target.Revision(graph.Heads[0].Id) : Target.Heads;
        var inspection = RequireInspection;
        return Planner.PlanUpgrade(graph, inspection.Applied, target)
            .WithRepeatables(graph, inspection.Applied, AppliedRepeatable.LastChecksums(inspection.Repeatables)) with
        {
            Resume = PendingBackfill.Of(graph, inspection.Backfilling),
        };
    }

    /// <summary>How the migrations are applied and recorded: this run's deploy id, its transaction mode.</summary>
    public RunOptions RunOptions => new(request.Mode, DryRun: false, Context.Settings.LockRetries, deployId, Context.Actor);

    /// <summary>An audit row's <paramref name="detail"/>, followed by the risks this run accepted and why (when it did, or gave a reason).</summary>
    public string? AuditDetail(string? detail)
    {
        var flags = RiskAcceptingFlags.In(request);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : $"reason: {request.Reason.Trim()}";
        var risks = flags.Count == 0 ? reason : $"accepted {string.Join(", ", flags)}{(reason is null ? "" : "; " + reason)}";
        return risks is null ? detail : detail is null ? risks : $"{detail}; {risks}";
    }

    /// <summary>The audit log of this run; a row that cannot be written becomes a warning.</summary>
    public RunAudit Audit => _audit ??= Context.AuditFor(RequireSession, deployId, Warnings.Add);

    /// <summary>The live and expected schemas, read and replayed at most once for the inspect and drift stages.</summary>
    public DeploySchemas Schemas => _schemas ??= new DeploySchemas(Context.ExpectedSchemas(request.Drift), request.Drift);

    /// <summary>Planned and nothing to stamp: backup and apply have nothing to do.</summary>
    public bool NothingToDo => Plan is { IsEmpty: true } && Inspection is { StampRows.Count: 0 };

    public IReadOnlyList<string> HeadsBefore => Inspection is null ? [] : RequireGraph.HeadsOf(Inspection.Applied);

    /// <summary>The report of the run: everything the stages found, and how it ended.</summary>
    public DeployReport ToReport(MigrateException? failure, DateTimeOffset finishedAt)
    {
        var nothingDone = failure is null && !preflight && NothingToDo;
        var restore = failure?.Kind == FailureKind.MigrationFailed && Backup is not null
            ? RestoreCommandLine.For(Context.Settings, Context.Target, Backup.Path)
            : null;
        var outcome = failure is not null ? "failed" : nothingDone ? "nothing-to-do" : "succeeded";
        return new DeployReport
        {
            DeployId = deployId,
            Command = preflight ? "preflight" : "deploy",
            Environment = settings.Environment,
            Protected = settings.Protected,
            AcceptedRisks = RiskAcceptingFlags.In(request),
            Reason = request.Reason,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            Database = Database,
            Outcome = outcome,
            ExitCode = failure is null ? 0 : (int)failure.Kind,
            Error = failure?.Message,
            Stages = [.. Stages],
            DatabaseState = Inspection?.State.ToString().ToLowerInvariant(),
            HeadsBefore = HeadsBefore,
            HeadsAfter = nothingDone ? HeadsBefore : HeadsAfter(),
            Stamped = Inspection is null ? [] : [.. Inspection.StampRows.Select(r => r.Revision)],
            Applied = Steps is null ? [] : [.. Steps.Select(s => s.Revision)],
            Pending = Plan is null ? [] : [.. Plan.Ids],
            Backfills = Backfills ?? (failure as MigrationFailedException)?.Backfills ?? [],
            Backup = Backup,
            RestoreCommand = restore?.Text,
            RestorePasswordMasked = restore?.PasswordMasked ?? false,
            Warnings = [.. Warnings],
            DriftCheck = DriftCheck,
            Lint = Lint,
            LintErrorsAllowed = request.AllowLintErrors,
            Versions = Clients is null ? null : new VersionReport(
                ToolInfo.Version, Clients.ServerVersion, Clients.Tools.ToDictionary(t => t.Name, t => t.Version, StringComparer.Ordinal)),
        };
    }

    /// <summary>The heads once the applied steps are added to what was there; empty until the apply stage succeeds.</summary>
    private IReadOnlyList<string> HeadsAfter()
    {
        if (Steps is null)
        {
            return [];
        }

        var after = new HashSet<string>(RequireInspection.Applied, StringComparer.Ordinal);
        after.UnionWith(Steps.Where(s => !s.IsRepeatable).Select(s => s.Revision));
        return RequireGraph.HeadsOf(after);
    }

    public async ValueTask DisposeAsync()
    {
        if (Lock is not null)
        {
            await Lock.DisposeAsync();
        }

        if (Session is not null)
        {
            await Session.DisposeAsync();
        }
    }
}
