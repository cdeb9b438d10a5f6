using System.Text;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>Options of <c>upgrade</c> and <c>downgrade</c>.</summary>
/// <param name="Target">The target as the user wrote it.</param>
/// <param name="Mode">How migrations are grouped into transactions.</param>
/// <param name="DryRun">Run everything, then roll back.</param>
public sealed record RunRequest(string Target, TransactionMode Mode = TransactionMode.Single, bool DryRun = false);

public sealed partial class MigrationCommands
{
    /// <summary>The database's applied head(s).</summary>
    public async Task<CurrentResult> CurrentAsync(CancellationToken cancellationToken)
    {
        var (graph, _, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var check = HistoryCheck.Compare(graph, applied);
            return new CurrentResult(session.Target.Display, AppliedHeads(graph, check), applied.Count);
        }
    }

    /// <summary>Applied and pending revisions, edited files and applied revisions the files do not know.</summary>
    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken)
    {
        var (graph, _, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var check = HistoryCheck.Compare(graph, applied);
            var pending = graph.TopologicalOrder.Where(r => !check.AppliedIds.Contains(r.Id)).ToList();
            return new StatusResult(session.Target.Display, AppliedHeads(graph, check), applied, pending, check.Edited, check.Unknown);
        }
    }

    /// <summary>Applies every revision needed to reach the target, under the migration lock.</summary>
    public Task<RunResult> UpgradeAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(MigrationDirection.Upgrade, request, cancellationToken);

    /// <summary>Reverts applied revisions down to the target, under the migration lock.</summary>
    public Task<RunResult> DowngradeAsync(RunRequest request, CancellationToken cancellationToken) =>
        RunAsync(MigrationDirection.Downgrade, request, cancellationToken);

    private async Task<RunResult> RunAsync(MigrationDirection direction, RunRequest request, CancellationToken cancellationToken)
    {
        var (graph, provider, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            await using var held = await session.Lock.AcquireAsync(_settings.WaitForLock, cancellationToken);

            // Read after the lock: a run that held it before us may have applied what we were about to.
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var check = HistoryCheck.Compare(graph, applied);
            check.ThrowIfInconsistent();
            var headsBefore = AppliedHeads(graph, check);
            var target = TargetResolver.Resolve(graph, request.Target, check.AppliedIds);
            var plan = direction == MigrationDirection.Upgrade
                ? Planner.PlanUpgrade(graph, check.AppliedIds, target)
                : Planner.PlanDowngrade(graph, check.AppliedIds, target);

            var options = NewRunOptions(request.DryRun ? TransactionMode.Single : request.Mode, request.DryRun);
            if (plan.IsEmpty)
            {
                return new RunResult(session.Target.Display, direction, target.ToString(), request.DryRun, options.DeployId, headsBefore, headsBefore, []);
            }

            if (request.DryRun)
            {
                RejectNonTransactional(plan);
            }

            var started = _time.GetUtcNow();
            var runner = new MigrationRunner(session, options, _time, _observer);
            var operation = direction == MigrationDirection.Upgrade ? AuditOperations.Upgrade : AuditOperations.Downgrade;
            IReadOnlyList<StepResult> steps;
            try
            {
                steps = await runner.RunAsync(plan, cancellationToken);
            }
            catch (Exception ex) when (!request.DryRun && ex is MigrateException or OperationCanceledException)
            {
                await AuditAsync(session, options, operation, started, AuditOutcomes.Failed, plan.Steps.Select(s => s.Id), ex.Message);
                throw;
            }

            if (!request.DryRun)
            {
                await AuditAsync(session, options, operation, started, AuditOutcomes.Succeeded, steps.Select(s => s.Revision), null);
            }

            var after = new HashSet<string>(check.AppliedIds, StringComparer.Ordinal);
            foreach (var step in steps)
            {
                _ = direction == MigrationDirection.Upgrade ? after.Add(step.Revision) : after.Remove(step.Revision);
            }

            var headsAfter = request.DryRun ? headsBefore : graph.HeadsOf(after);
            return new RunResult(session.Target.Display, direction, target.ToString(), request.DryRun, options.DeployId, headsBefore, headsAfter, steps);
        }
    }

    /// <summary>
    /// The SQL an upgrade or downgrade to <paramref name="targetText"/> would run, history writes and
    /// transaction boundaries included. Reads the history if a database is configured; changes nothing.
    /// </summary>
    public async Task<ScriptResult> ScriptAsync(MigrationDirection direction, string targetText, TransactionMode mode, CancellationToken cancellationToken)
    {
        var (graph, provider, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        IReadOnlyList<AppliedRevision> applied;
        string display;
        await using (session)
        {
            applied = await session.History.ReadAppliedAsync(cancellationToken);
            display = session.Target.Display;
        }

        var check = HistoryCheck.Compare(graph, applied);
        check.ThrowIfInconsistent();
        var target = TargetResolver.Resolve(graph, targetText, check.AppliedIds);
        var plan = direction == MigrationDirection.Upgrade
            ? Planner.PlanUpgrade(graph, check.AppliedIds, target)
            : Planner.PlanDowngrade(graph, check.AppliedIds, target);
        var sql = ScriptWriter.Write(plan, provider.HistorySql(_settings.History), mode, NewRunOptions(mode, dryRun: false), _time.GetUtcNow());
        return new ScriptResult(display, direction, target.ToString(), [.. plan.Steps.Select(s => s.Id)], sql);
    }

    /// <summary>Records <paramref name="targetText"/> as the applied state without running any SQL (<c>base</c>: nothing applied).</summary>
    public async Task<StampResult> StampAsync(string targetText, CancellationToken cancellationToken)
    {
        var (graph, _, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            await using var held = await session.Lock.AcquireAsync(_settings.WaitForLock, cancellationToken);
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var check = HistoryCheck.Compare(graph, applied);
            var headsBefore = AppliedHeads(graph, check);
            var target = TargetResolver.Resolve(graph, targetText, check.AppliedIds);
            var stampSet = Planner.StampSet(graph, target);
            var options = NewRunOptions(TransactionMode.Single, dryRun: false);
            var now = _time.GetUtcNow();
            var rows = graph.TopologicalOrder
                .Where(r => stampSet.Contains(r.Id))
                .Select(r => MigrationRunner.ToHistoryRow(r, now, 0, options))
                .ToList();
            try
            {
                await session.Executor.BeginTransactionAsync(cancellationToken);
                await session.History.EnsureCreatedAsync(cancellationToken);
                await session.History.ReplaceAllAsync(rows, cancellationToken);
                await session.Executor.CommitAsync(cancellationToken);
            }
            catch (StatementFailedException ex)
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                throw new MigrateException(FailureKind.MigrationFailed, $"Stamping {target} failed: {ex.Message}; the history is unchanged.", ex);
            }

            await AuditAsync(session, options, AuditOperations.Stamp, now, AuditOutcomes.Succeeded, rows.Select(r => r.Revision), $"stamped {target}");
            return new StampResult(session.Target.Display, target.ToString(), headsBefore, graph.HeadsOf(stampSet), rows.Count);
        }
    }

    /// <summary>
    /// Backs up, then drops every object the migrations manage and the history, keeping the audit log.
    /// Refuses unless <paramref name="confirmDatabaseName"/> is the database's name. The backup is taken
    /// under the lock and recorded in the audit log; <paramref name="noBackup"/> skips it.
    /// </summary>
    public async Task<ResetResult> ResetAsync(string? confirmDatabaseName, bool noBackup, CancellationToken cancellationToken)
    {
        var graph = LoadGraphForDatabase();
        var (provider, target) = _providers.Resolve(_settings.RequireDatabase());
        RequireConfirmation(confirmDatabaseName, target);
        var (_, session) = await OpenSessionAsync(cancellationToken);
        await using (session)
        {
            await using var held = await session.Lock.AcquireAsync(_settings.WaitForLock, cancellationToken);
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var headsBefore = AppliedHeads(graph, HistoryCheck.Compare(graph, applied));
            var objects = await session.Inspector.ListUserObjectsAsync(cancellationToken);
            var options = NewRunOptions(TransactionMode.Single, dryRun: false);
            var started = _time.GetUtcNow();
            string? backupFile = null;
            if (!noBackup)
            {
                var tool = provider.BackupTool(new ClientToolOptions(_settings.PgBinDirectory));
                await RequireCompatibleClientAsync(tool, session, cancellationToken);
                var info = await new Deploy.BackupService(tool, _time).CreateAsync(target, _settings.BackupDirectory, Deploy.BackupService.RevisionLabel(headsBefore), null, cancellationToken);
                await Deploy.BackupSchemaFile.WriteAsync(session, info.Path, cancellationToken);
                backupFile = info.Path;
            }

            try
            {
                await session.Cleaner.DropAllAsync(cancellationToken);
            }
            catch (StatementFailedException ex)
            {
                await AuditAsync(session, options, AuditOperations.Reset, started, AuditOutcomes.Failed, applied.Select(a => a.Revision), ex.Message);
                throw new MigrateException(FailureKind.MigrationFailed, $"Reset failed and was rolled back: {ex.Message}.", ex);
            }

            await AuditAsync(session, options, AuditOperations.Reset, started, AuditOutcomes.Succeeded, applied.Select(a => a.Revision), backupFile is null ? null : $"backup {backupFile}");
            return new ResetResult(session.Target.Display, objects, headsBefore, backupFile);
        }
    }

    /// <summary>Throws (exit 10) unless <paramref name="confirmation"/> is exactly the database's name.</summary>
    public static void RequireConfirmation(string? confirmation, DatabaseTarget target)
    {
        if (confirmation is null)
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"This destroys data in {target.Display}: confirm with --confirm {target.DatabaseName}.");
        }

        if (!string.Equals(confirmation, target.DatabaseName, StringComparison.Ordinal))
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"The confirmation '{confirmation}' does not match the database name '{target.DatabaseName}': nothing was changed.");
        }
    }

    private static IReadOnlyList<string> AppliedHeads(RevisionGraph graph, HistoryCheck check)
    {
        var known = check.AppliedIds.Where(graph.Contains).ToHashSet(StringComparer.Ordinal);
        var heads = graph.HeadsOf(known).ToList();
        heads.AddRange(check.Unknown.Select(u => u.Revision));
        return heads;
    }

    private static void RejectNonTransactional(MigrationPlan plan)
    {
        var step = plan.Steps.FirstOrDefault(s => !MigrationRunner.SectionOf(s, plan.Direction).Transactional);
        if (step is not null)
        {
            throw MigrationRunner.DryRunCannotRollBack(step);
        }
    }
}
