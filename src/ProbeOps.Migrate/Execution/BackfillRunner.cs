using System.Globalization;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// Runs the backfill section of a revision whose upgrade has committed (SPEC §11): each statement again and
/// again, each run in its own short transaction on the migration session (its lock and statement timeouts
/// apply to every run), until a run changes no row; then the next statement. The run that finds nothing left
/// also moves the history row on, so a run of the tool that is killed resumes at the statement it was in.
/// Every finished or failed backfill is added to <paramref name="log"/>.
/// </summary>
public sealed class BackfillRunner(
    IDatabaseSession session,
    RunOptions options,
    TimeProvider time,
    IMigrationObserver observer,
    List<BackfillResult> log)
{
    /// <summary>
    /// Runs the backfill of <paramref name="revision"/> from statement <paramref name="from"/> (1-based) to its end.
    /// <paramref name="resumed"/> says an earlier run of the tool began it; <paramref name="committed"/> are the
    /// revisions this run has committed, for the message of a failure.
    /// </summary>
    public async Task<BackfillResult> RunAsync(
        Revision revision, int from, bool resumed, IReadOnlyList<string> committed, CancellationToken cancellationToken)
    {
        var statements = StatementsOf(revision);
        var tally = new Tally(revision, from, statements.Count, time.GetTimestamp()) { Resumed = resumed };
        try
        {
            for (var index = from - 1; index < statements.Count; index++)
            {
                await RunStatementAsync(revision, index, tally, cancellationToken);
            }
        }
        catch (StatementFailedException ex)
        {
            log.Add(tally.Result(time, finished: false));
            throw Failure(revision, tally, ex, committed, dryRun: false);
        }

        if (from > statements.Count)
        {
            // The file lost the statements it had when this backfill began: nothing is left to run.
            await session.History.SetBackfillStatementAsync(revision.Id, null, cancellationToken);
        }

        var result = tally.Result(time, finished: true);
        log.Add(result);
        return result;
    }

    /// <summary>A dry run: one run of each statement from <paramref name="from"/>, in the caller's open transaction, which rolls back.</summary>
    public async Task<BackfillResult> RunOnceAsync(Revision revision, int from, bool resumed, CancellationToken cancellationToken)
    {
        var statements = StatementsOf(revision);
        var tally = new Tally(revision, from, statements.Count, time.GetTimestamp()) { Resumed = resumed };
        try
        {
            for (var index = from - 1; index < statements.Count; index++)
            {
                tally.Statement = index + 1;
                tally.Add(await RunBatchAsync(revision, index, cancellationToken));
                observer.BackfillProgressed(tally.Progress(time, statementDone: true));
            }
        }
        catch (StatementFailedException ex)
        {
            throw Failure(revision, tally, ex, [], dryRun: true);
        }

        var result = tally.Result(time, finished: false);
        log.Add(result);
        return result;
    }

    private static IReadOnlyList<SqlStatement> StatementsOf(Revision revision) => revision.File?.Backfill?.Statements ?? [];

    /// <summary>One run of statement (or code backfill) <paramref name="index"/> in the open transaction: the rows it changed.</summary>
    private Task<long> RunBatchAsync(Revision revision, int index, CancellationToken cancellationToken) =>
        revision.File is { IsCode: true } code
            ? CodeInvocation.RunBatchAsync(session, code, index, observer.Notice, cancellationToken)
            : session.Executor.ExecuteCountingAsync(revision.File!.Backfill!.Statements[index], cancellationToken);

    private static TimeSpan PauseOf(MigrationFile file, int index) =>
        file.Code is { } code ? code.Backfills[index].Pause : file.Backfill!.Pause;

    private async Task RunStatementAsync(Revision revision, int index, Tally tally, CancellationToken cancellationToken)
    {
        var section = revision.File!.Backfill!;
        var pause = PauseOf(revision.File, index);
        int? next = index + 1 < section.Statements.Count ? index + 2 : null;
        tally.Statement = index + 1;
        while (true)
        {
            var rows = await RunInTransactionAsync(revision, index, next, cancellationToken);
            tally.Add(rows);
            observer.BackfillProgressed(tally.Progress(time, statementDone: rows == 0));
            if (rows == 0)
            {
                return;
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }

    /// <summary>
    /// One run in its own transaction; the run that changes no row records, in the same transaction, that the
    /// statement is done. A lock timeout rolls the run back and retries it after a pause.
    /// </summary>
    private async Task<long> RunInTransactionAsync(Revision revision, int index, int? next, CancellationToken cancellationToken)
    {
        var executor = session.Executor;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await executor.BeginTransactionAsync(cancellationToken);
                var rows = await RunBatchAsync(revision, index, cancellationToken);
                if (rows == 0)
                {
                    await session.History.SetBackfillStatementAsync(revision.Id, next, cancellationToken);
                }

                await executor.CommitAsync(cancellationToken);
                return rows;
            }
            catch (StatementFailedException ex) when (ex.IsLockTimeout && attempt < options.LockRetries)
            {
                await executor.RollbackAsync(CancellationToken.None);
                var delay = MigrationRunner.Backoff(attempt);
                observer.Notice($"{revision.Id}: backfill run hit the lock timeout ({ex.Message}); retrying it in {delay.TotalMilliseconds:0} ms (attempt {attempt + 2} of {options.LockRetries + 1}).");
                await Task.Delay(delay, time, cancellationToken);
            }
            catch
            {
                await executor.RollbackAsync(CancellationToken.None);
                throw;
            }
        }
    }

    private MigrationFailedException Failure(
        Revision revision, Tally tally, StatementFailedException ex, IReadOnlyList<string> committed, bool dryRun)
    {
        var file = revision.File!;
        var statement = file.Backfill!.Statements[tally.Statement - 1];
        var state = ex.SqlState is null ? "" : $" (SQLSTATE {ex.SqlState})";
        var kept = tally.Runs == 0
            ? "no run of this backfill had committed yet"
            : string.Create(CultureInfo.InvariantCulture, $"the {tally.Rows:N0} row{(tally.Rows == 1 ? "" : "s")} changed by its {tally.Runs:N0} earlier run{(tally.Runs == 1 ? "" : "s")} stay committed");
        var where = file.IsCode ? $"{file.FileName} \"{statement.Text}\" (backfill {tally.Statement} of {tally.Statements})" : $"{file.FileName}:{statement.Line} (statement {tally.Statement} of {tally.Statements})";
        var message = $"backfill of {revision.Id} failed at {where}: {ex.Message}{state}; " + (dryRun
            ? "dry run: everything was rolled back."
            : $"only the failed run was rolled back, {kept}. {revision.Id} is applied and still backfilling: fix the cause and run upgrade or deploy again to resume it (its upgrade section does not run again).");
        return new MigrationFailedException(message, ex)
        {
            Revision = revision.Id,
            DeployId = options.DeployId,
            Direction = MigrationDirection.Upgrade,
            File = file.Path,
            Line = file.IsCode ? null : statement.Line,
            Statement = statement.Text,
            SqlState = ex.SqlState,
            Position = ex.Position,
            ServerMessage = ex.Message,
            Hint = ex.Hint,
            Committed = committed.Contains(revision.Id, StringComparer.Ordinal) ? committed : [.. committed, revision.Id],
            Backfills = [.. log],
        };
    }

    /// <summary>What one backfill has done so far.</summary>
    private sealed class Tally(Revision revision, int from, int statements, long started)
    {
        public int Statements => statements;

        public bool Resumed { get; init; }

        public int Statement { get; set; }

        public long Runs { get; private set; }

        public long Rows { get; private set; }

        public void Add(long rows)
        {
            Runs++;
            Rows += rows;
        }

        public BackfillProgress Progress(TimeProvider time, bool statementDone) =>
            new(revision.Id, Statement, statements, Runs, Rows, time.GetElapsedTime(started), statementDone);

        public BackfillResult Result(TimeProvider time, bool finished) =>
            new(revision.Id, from, statements, Runs, Rows, time.GetElapsedTime(started), finished) { Resumed = Resumed };
    }
}
