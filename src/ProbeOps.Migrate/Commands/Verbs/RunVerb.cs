using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>Options of <c>upgrade</c> and <c>downgrade</c>.</summary>
/// <param name="Target">The target as the user wrote it.</param>
/// <param name="Mode">How migrations are grouped into transactions.</param>
/// <param name="DryRun">Run everything, then roll back.</param>
/// <param name="Confirm">
/// The database's name, confirming a downgrade: required in a protected environment (SPEC §14), checked whenever given.
/// </param>
public sealed record RunRequest(string Target, TransactionMode Mode = TransactionMode.Single, bool DryRun = false, string? Confirm = null);

/// <summary><c>upgrade</c> and <c>downgrade</c>: plan to the target under the lock, apply, record.</summary>
public sealed class RunVerb(MigrationDirection direction, RunRequest request) : IUpToDateVerb<RunResult>
{
    public OperationNeeds Needs { get; } = new(
        Lock: true,
        History: HistoryNeed.Consistent,
        BeforeConnect: ConfirmationCheck(direction, request),
        AdoptAlembic: direction == MigrationDirection.Upgrade && !request.DryRun);

    /// <summary>Whether a downgrade must name its database: in a protected environment, unless it is a dry run; and whenever a name is given.</summary>
    public static bool NeedsConfirmation(MigrationDirection direction, RunRequest request, bool protectedEnvironment)
    {
        ArgumentNullException.ThrowIfNull(request);
        return direction == MigrationDirection.Downgrade && (request.Confirm is not null || (protectedEnvironment && !request.DryRun));
    }

    private static Action<MigrationContext>? ConfirmationCheck(MigrationDirection direction, RunRequest request) =>
        direction == MigrationDirection.Upgrade ? null : context =>
        {
            if (NeedsConfirmation(direction, request, context.Settings.Protected))
            {
                context.RequireConfirmation(
                    request.Confirm,
                    $"A downgrade in the protected environment {context.Settings.Environment} reverts migrations in {context.Target.Display}");
            }
        };

    public async Task<RunResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var graph = scope.Graph;
        var headsBefore = scope.AppliedHeads();
        var target = TargetResolver.Resolve(graph, request.Target, scope.History.AppliedIds);
        var plan = scope.Plan(direction, target);
        if (direction == MigrationDirection.Upgrade)
        {
            plan = plan with { Resume = PendingBackfill.Of(graph, scope.Applied) };
        }

        var options = scope.Options with { Mode = request.DryRun ? TransactionMode.Single : request.Mode, DryRun = request.DryRun };
        if (plan.IsEmpty)
        {
            return Result(scope, target, options, headsBefore, headsBefore, new AppliedRun([], []), []);
        }

        if (request.DryRun)
        {
            RejectNonTransactional(plan);
        }

        if (CapabilityPlanning.Check(scope.Session.Capabilities, options, scope.Database) is { } warning)
        {
            scope.Context.Observer.Notice(warning);
        }

        // A downgrade drops the history row, and with it the backfill's place: say so.
        var reverted = plan.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var abandoned = direction == MigrationDirection.Downgrade
            ? scope.BackfillStatuses(scope.Applied.Where(a => reverted.Contains(a.Revision)))
            : [];
        var started = scope.Context.Time.GetUtcNow();
        var run = await new PlanApplier(scope.Context, scope.Session, options, scope.Audit).ApplyAsync(plan, started, cancellationToken);
        if (!request.DryRun)
        {
            await scope.Audit.WriteAsync(
                PlanApplier.OperationOf(direction), started, AuditOutcomes.Succeeded, run.Steps.Select(s => s.Revision), BackfillText.AuditDetail(run.Backfills, abandoned));
            await SchemaRecorder.RecordAsync(scope, null, cancellationToken);
        }

        var after = new HashSet<string>(scope.History.AppliedIds, StringComparer.Ordinal);
        foreach (var step in run.Steps.Where(s => !s.IsRepeatable))
        {
            _ = direction == MigrationDirection.Upgrade ? after.Add(step.Revision) : after.Remove(step.Revision);
        }

        var headsAfter = request.DryRun ? headsBefore : graph.HeadsOf(after);
        return Result(scope, target, options, headsBefore, headsAfter, run, abandoned);
    }

    /// <summary>An upgrade to the head (or every head) that is no dry run has nothing to do on an up-to-date database.</summary>
    public bool AnswersWhenUpToDate(FilesSnapshot files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return direction == MigrationDirection.Upgrade && !request.DryRun && (request.Target == "heads" || (request.Target == "head" && files.Heads.Count == 1));
    }

    public Task<RunResult> UpToDateAsync(UpToDateScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // As TargetResolver names them: `head` is the one head's id, `heads` is "head".
        var heads = scope.Files.Heads;
        var target = request.Target == "head" ? Target.Revision(heads[0]) : Target.Heads;
        return Task.FromResult(new RunResult(scope.Database, direction, target.ToString(), false, scope.Options.DeployId, heads, heads, [], [], []));
    }

    private RunResult Result(
        OperationScope scope, Target target, RunOptions options, IReadOnlyList<string> headsBefore, IReadOnlyList<string> headsAfter, AppliedRun run, IReadOnlyList<BackfillStatus> abandoned) =>
        new(scope.Database, direction, target.ToString(), request.DryRun, options.DeployId, headsBefore, headsAfter, run.Steps, run.Backfills, abandoned);

    private static void RejectNonTransactional(MigrationPlan plan)
    {
        var step = plan.Steps.FirstOrDefault(s => !MigrationRunner.SectionOf(s, plan.Direction).Transactional);
        if (step is not null)
        {
            throw MigrationRunner.DryRunCannotRollBack(step);
        }
    }
}
