using System.Diagnostics;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// Runs a plan on one session that already holds the migration lock. Transactional sections are
/// grouped into transactions by <see cref="TransactionMode"/>, with their history rows written in
/// the same transaction; each section's statements go in one round trip when the executor can batch.
/// A <c>transaction:false</c> section runs alone, statement by statement, between the groups. A
/// failure rolls the open transaction back and raises <see cref="MigrationFailedException"/>.
/// A revision with a backfill ends its group: once the group has committed, <see cref="BackfillRunner"/> runs the
/// backfill before the next group begins. An upgrade first resumes the backfills an earlier run left unfinished
/// (<see cref="MigrationPlan.Resume"/>), so no child runs before its parents' backfills are done. A dry run keeps
/// one transaction and runs each backfill statement once inside it. The plan's repeatable migrations run after the
/// revisions in the last transactional group (or a group of their own when the run ends outside a transaction, or
/// with a backfill), recorded in that same transaction.
/// </summary>
public sealed class MigrationRunner(
    IDatabaseSession session,
    RunOptions options,
    TimeProvider time,
    IMigrationObserver observer)
{
    private readonly List<string> _committed = [];
    private readonly List<BackfillResult> _backfillLog = [];

    /// <summary>The backfills this run finished (in a dry run: ran once), in the order they ran.</summary>
    public IReadOnlyList<BackfillResult> Backfills => _backfillLog;

    private BackfillRunner Backfill => new(session, options, time, observer, _backfillLog);

    /// <summary>Runs every step of <paramref name="plan"/>; returns what was applied (or, in a dry run, what would have been).</summary>
    public async Task<IReadOnlyList<StepResult>> RunAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        var results = new List<StepResult>(plan.Steps.Count);
        foreach (var pending in plan.Resume)
        {
            await ResumeBackfillAsync(pending, cancellationToken);
        }

        var units = Units(plan);
        var index = 0;
        foreach (var unit in units)
        {
            var unitResults = unit.Transactional
                ? await RunTransactionalAsync(plan.Direction, unit, index, plan.Steps.Count, cancellationToken)
                : await RunNonTransactionalAsync(plan.Direction, unit.Steps[0], index, plan.Steps.Count, cancellationToken);
            results.AddRange(unitResults);
            index += unit.Steps.Count;
            foreach (var step in unit.Steps.Where(s => plan.Direction == MigrationDirection.Upgrade && !options.DryRun && RunsBackfill(s)))
            {
                await Backfill.RunAsync(step, 1, resumed: false, _committed, cancellationToken);
            }
        }

        return results;
    }

    private static bool HasBackfill(Revision step) => step.File is { HasBackfill: true };

    private bool RunsBackfill(Revision step) => options.Backfills && HasBackfill(step);

    /// <summary>Finishes a backfill an earlier run left; a dry run runs each of its statements once and rolls back.</summary>
    private async Task ResumeBackfillAsync(PendingBackfill pending, CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            await Backfill.RunAsync(pending.Revision, pending.NextStatement, resumed: true, _committed, cancellationToken);
            return;
        }

        await session.Executor.BeginTransactionAsync(cancellationToken);
        try
        {
            await Backfill.RunOnceAsync(pending.Revision, pending.NextStatement, resumed: true, cancellationToken);
        }
        finally
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
        }
    }

    /// <summary>The section a step runs in the plan's direction.</summary>
    public static MigrationSection SectionOf(Revision revision, MigrationDirection direction)
    {
        var file = revision.File ?? throw new MigrateException(
            FailureKind.InvalidMigrations, $"Revision {revision.Id} has no migration file.");
        return direction == MigrationDirection.Upgrade
            ? file.Upgrade
            : file.Downgrade ?? throw new MigrateException(
                FailureKind.Usage, $"Cannot downgrade past {revision.Id} ({file.FileName}): {file.NoDowngrade}.");
    }

    /// <summary>
    /// Cuts a plan into units: groups of transactional steps, and single non-transactional ones. An upgrade step
    /// with a backfill ends its group (<paramref name="endGroupsAtBackfills"/>: except in a dry run, which keeps one).
    /// </summary>
    public static IReadOnlyList<RunUnit> Units(MigrationPlan plan, TransactionMode mode = TransactionMode.Single, bool endGroupsAtBackfills = true)
    {
        var units = new List<RunUnit>();
        List<Revision>? group = null;
        foreach (var step in plan.Steps)
        {
            if (!SectionOf(step, plan.Direction).Transactional)
            {
                group = null;
                units.Add(new RunUnit(false, [step]));
                continue;
            }

            if (group is null || mode == TransactionMode.PerMigration)
            {
                group = [];
                units.Add(new RunUnit(true, group));
            }

            group.Add(step);
            if (endGroupsAtBackfills && plan.Direction == MigrationDirection.Upgrade && HasBackfill(step))
            {
                group = null;
            }
        }

        if (plan.Repeatables.Count > 0)
        {
            // After a backfill, the repeatables run once it has finished: in a group of their own.
            if (group is not null && units.Count > 0 && units[^1].Transactional)
                units[^1] = units[^1] with { Repeatables = plan.Repeatables };
            else
                units.Add(new RunUnit(true, []) { Repeatables = plan.Repeatables });
        }

        return units;
    }

    private IReadOnlyList<RunUnit> Units(MigrationPlan plan) => Units(plan, options.Mode, endGroupsAtBackfills: options.Backfills && !options.DryRun);

    private async Task<IReadOnlyList<StepResult>> RunTransactionalAsync(
        MigrationDirection direction, RunUnit unit, int firstIndex, int total, CancellationToken cancellationToken)
    {
        var steps = unit.Steps;
        // A retried dry run runs its backfills again: keep the last attempt's.
        var logMark = _backfillLog.Count;
        for (var attempt = 0; ; attempt++)
        {
            var results = new List<StepResult>(steps.Count);
            var position = new RunPosition();
            _backfillLog.RemoveRange(logMark, _backfillLog.Count - logMark);
            try
            {
                await BeginAsync(direction, cancellationToken);
                for (var i = 0; i < steps.Count; i++)
                {
                    results.Add(await RunStepAsync(direction, steps[i], firstIndex + i, total, position, transactional: true, cancellationToken));
                    if (options.DryRun && direction == MigrationDirection.Upgrade && RunsBackfill(steps[i]))
                    {
                        await Backfill.RunOnceAsync(steps[i], 1, resumed: false, cancellationToken);
                    }
                }

                foreach (var repeatable in unit.Repeatables)
                {
                    results.Add(await RunRepeatableAsync(repeatable, position, cancellationToken));
                }

                position.Statement = null;
                await WriteHistoryAsync(direction, steps, results, cancellationToken);
                await RecordRepeatablesAsync(unit.Repeatables, results.Skip(steps.Count).ToList(), cancellationToken);
                if (options.DryRun)
                {
                    await session.Executor.RollbackAsync(cancellationToken);
                }
                else
                {
                    await session.Executor.CommitAsync(cancellationToken);
                    _committed.AddRange(results.Select(r => r.Revision));
                }

                return results;
            }
            catch (StatementFailedException ex) when (ex.IsLockTimeout && attempt < options.LockRetries)
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                var delay = Backoff(attempt);
                observer.Notice($"{position.Id}: lock timeout ({ex.Message}); retrying the transaction in {delay.TotalMilliseconds:0} ms (attempt {attempt + 2} of {options.LockRetries + 1}).");
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (StatementFailedException ex)
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                throw Failure(direction, position, ex, rolledBack: [.. steps.Select(s => s.Id), .. unit.Repeatables.Select(r => r.Id)]);
            }
            catch
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                throw;
            }
        }
    }

    private async Task<IReadOnlyList<StepResult>> RunNonTransactionalAsync(
        MigrationDirection direction, Revision step, int index, int total, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            throw DryRunCannotRollBack(step);
        }

        var position = new RunPosition();
        var statements = SectionOf(step, direction).Statements;
        StepResult result;
        try
        {
            result = await RunStepAsync(direction, step, index, total, position, transactional: false, cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            // The statements before the failed one each ran on their own and stay committed.
            var ran = position.Statement is { } failed ? statements.TakeWhile(s => !ReferenceEquals(s, failed)).Count() : 0;
            throw Failure(direction, position, ex, rolledBack: [], new PartialSection(step.Id, direction, ran, statements.Count));
        }

        position.Statement = null;
        try
        {
            await BeginAsync(direction, cancellationToken);
            await WriteHistoryAsync(direction, [step], [result], cancellationToken);
            await session.Executor.CommitAsync(cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
            throw Failure(direction, position, ex, rolledBack: [], new PartialSection(step.Id, direction, statements.Count, statements.Count, HistoryFailed: true));
        }

        _committed.Add(step.Id);
        return [result];
    }

    /// <summary>The error for a dry run of a plan that holds a section no transaction can roll back.</summary>
    public static MigrateException DryRunCannotRollBack(Revision step) => new(
        FailureKind.Usage,
        $"--dry-run cannot roll back {step.Id}: its section runs outside a transaction (transaction:false). Use --sql to see what would run.");

    /// <summary>
    /// Opens a transaction; an upgrade creates the history tables in it, so a rollback leaves none behind.
    /// Once a unit of this run has committed, the tables exist (the run holds the lock), so later units skip it.
    /// </summary>
    private async Task BeginAsync(MigrationDirection direction, CancellationToken cancellationToken)
    {
        await session.Executor.BeginTransactionAsync(cancellationToken);
        if (direction == MigrationDirection.Upgrade && _committed.Count == 0)
        {
            await session.History.EnsureCreatedAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs one section. Inside a transaction (<paramref name="transactional"/>) an executor that can batch
    /// gets the whole section in one round trip, and a lock timeout is left to the caller, which retries the
    /// transaction. Outside one, statements run one by one and a statement that hit the lock timeout is
    /// retried on its own.
    /// </summary>
    private async Task<StepResult> RunStepAsync(
        MigrationDirection direction, Revision step, int index, int total, RunPosition position, bool transactional, CancellationToken cancellationToken)
    {
        var progress = new StepProgress(step, direction, index, total);
        observer.StepStarted(progress);
        var started = time.GetTimestamp();
        var section = SectionOf(step, direction);
        position.At(step);
        if (step.File is { IsCode: true } code)
            await CodeInvocation.RunAsync(session, code, direction, observer.Notice, cancellationToken);
        else
            await RunStatementsAsync(step.Id, section.Statements, position, transactional, cancellationToken);
        var elapsed = time.GetElapsedTime(started);
        observer.StepFinished(progress, elapsed);
        return new StepResult(step.Id, direction, (long)elapsed.TotalMilliseconds);
    }

    /// <summary>Runs a repeatable migration inside the open transaction.</summary>
    private async Task<StepResult> RunRepeatableAsync(RepeatableMigration repeatable, RunPosition position, CancellationToken cancellationToken)
    {
        // The progress display names it like a step; it is no revision of the graph.
        var progress = new StepProgress(new Revision(repeatable.Id, [], repeatable.Message), MigrationDirection.Upgrade, 0, 1);
        observer.StepStarted(progress);
        var started = time.GetTimestamp();
        position.At(repeatable);
        await RunStatementsAsync(repeatable.Id, repeatable.Upgrade.Statements, position, transactional: true, cancellationToken);
        var elapsed = time.GetElapsedTime(started);
        observer.StepFinished(progress, elapsed);
        return new StepResult(repeatable.Id, MigrationDirection.Upgrade, (long)elapsed.TotalMilliseconds) { IsRepeatable = true };
    }

    private async Task RunStatementsAsync(
        string id, IReadOnlyList<SqlStatement> statements, RunPosition position, bool transactional, CancellationToken cancellationToken)
    {
        if (transactional && session.BatchExecutor is { } batch)
        {
            await RunBatchAsync(batch, statements, position, cancellationToken);
        }
        else
        {
            foreach (var statement in statements)
            {
                position.Statement = statement;
                await RunStatementAsync(id, statement, retry: !transactional, cancellationToken);
            }
        }
    }

    /// <summary>Sends a section's statements together; a failure points the position at the statement the server refused.</summary>
    private static async Task RunBatchAsync(
        IBatchStatementExecutor batch, IReadOnlyList<SqlStatement> statements, RunPosition position, CancellationToken cancellationToken)
    {
        // Until the server names the failed statement, the only one that can be meant is a lone one.
        position.Statement = statements.Count == 1 ? statements[0] : null;
        try
        {
            await batch.ExecuteBatchAsync(statements, cancellationToken);
        }
        catch (StatementFailedException ex) when (ex.StatementIndex is int failed && failed >= 0 && failed < statements.Count)
        {
            position.Statement = statements[failed];
            throw;
        }
    }

    private async Task RunStatementAsync(string id, SqlStatement statement, bool retry, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await session.Executor.ExecuteAsync(statement, cancellationToken);
                return;
            }
            catch (StatementFailedException ex) when (retry && ex.IsLockTimeout && attempt < options.LockRetries)
            {
                var delay = Backoff(attempt);
                observer.Notice($"{id}: lock timeout ({ex.Message}); retrying the statement in {delay.TotalMilliseconds:0} ms (attempt {attempt + 2} of {options.LockRetries + 1}).");
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    private Task WriteHistoryAsync(
        MigrationDirection direction, IReadOnlyList<Revision> steps, IReadOnlyList<StepResult> results, CancellationToken cancellationToken)
    {
        if (direction == MigrationDirection.Downgrade)
        {
            return session.History.RemoveAppliedAsync([.. steps.Select(s => s.Id)], cancellationToken);
        }

        var now = time.GetUtcNow();
        var rows = new AppliedRevision[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            // Backfilling from the moment the upgrade commits: a run killed before the backfill ends resumes it.
            rows[i] = ToHistoryRow(steps[i], now, results[i].ExecutionMilliseconds, options) with
            {
                BackfillStatement = RunsBackfill(steps[i]) ? 1 : null,
            };
        }

        return session.History.RecordAppliedAsync(rows, cancellationToken);
    }

    private Task RecordRepeatablesAsync(IReadOnlyList<RepeatableMigration> repeatables, IReadOnlyList<StepResult> results, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return session.History.RecordRepeatablesAsync(
            [.. repeatables.Select((r, i) => ToRepeatableRow(r, now, results[i].ExecutionMilliseconds, options))], cancellationToken);
    }

    /// <summary>The row recorded for an applied repeatable: its section text as written, never with values in it.</summary>
    public static AppliedRepeatable ToRepeatableRow(RepeatableMigration repeatable, DateTimeOffset appliedAt, long executionMilliseconds, RunOptions options) => new(
        repeatable.Name,
        repeatable.Checksum,
        appliedAt,
        options.Actor.User + "@" + options.Actor.Host,
        executionMilliseconds,
        options.DeployId,
        repeatable.Upgrade.Sql);

    /// <summary>The history row recorded for an applied (or stamped) revision.</summary>
    public static AppliedRevision ToHistoryRow(Revision revision, DateTimeOffset appliedAt, long executionMilliseconds, RunOptions options) => new(
        revision.Id,
        revision.Parents,
        revision.Message,
        revision.File?.Checksum ?? "",
        appliedAt,
        options.Actor.User + "@" + options.Actor.Host,
        executionMilliseconds,
        options.DeployId);

    /// <param name="partial">For a <c>transaction:false</c> section, how far it got: what the failure left committed.</param>
    private MigrationFailedException Failure(
        MigrationDirection direction, RunPosition position, StatementFailedException ex, IReadOnlyList<string> rolledBack, PartialSection? partial = null) =>
        RunFailure.Create(direction, position, ex, rolledBack, partial, options, _committed);

    /// <summary>Capped exponential backoff with jitter: 200 ms, 400 ms, ... up to 5 s.</summary>
    internal static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(5000, 200 * (1 << Math.Min(attempt, 5)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.Next(ceiling / 2 + 1));
    }

}
