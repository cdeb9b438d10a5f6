using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>
/// One operation on one database, the way every database verb runs: load the migrations while the
/// session opens, take the migration lock, read and check the history, run the verb's body (which
/// writes the audit log through <see cref="OperationScope.Audit"/>), release everything.
/// </summary>
public sealed class DatabaseOperation(MigrationContext context)
{
    public MigrationContext Context => context;

    /// <summary>Runs <paramref name="verb"/> with what its <see cref="IDatabaseVerb{TResult}.Needs"/> ask for.</summary>
    public async Task<TResult> RunLockedAsync<TResult>(IDatabaseVerb<TResult> verb, CancellationToken cancellationToken)
    {
        var needs = verb.Needs;
        var quick = needs.History == HistoryNeed.None ? null : verb as IUpToDateVerb<TResult>;
        var (files, session) = await OpenAsync(needs, quick, cancellationToken);
        await using (session)
        {
            if (needs.BeforeLock is { } beforeLock)
            {
                await beforeLock(context, session, cancellationToken);
            }

            await using var held = needs.Lock ? await session.Lock.AcquireAsync(context.Settings.WaitForLock, cancellationToken) : null;
            if (held is not null && session.Lock.Notice is { } notice)
            {
                context.Observer.Notice(notice);
            }

            // Read after the lock: a run that held it before us may have applied what we were about to.
            if (files.Snapshot is { } snapshot && quick is not null)
            {
                if (await UpToDateHistoryAsync(session, snapshot, needs.Lock, cancellationToken) is { } history)
                {
                    return await quick.UpToDateAsync(new UpToDateScope(context, session, snapshot, context.NewRunOptions(), history), cancellationToken);
                }

                files = (null, context.Graphs.Load());
            }

            var graph = files.Graph;
            var applied = needs.History == HistoryNeed.None ? [] : await session.History.ReadAppliedAsync(cancellationToken);
            var repeatables = needs.History == HistoryNeed.None ? [] : await session.History.ReadRepeatablesAsync(cancellationToken);
            var options = context.NewRunOptions();
            if (needs.AdoptAlembic && applied.Count == 0 && graph is not null)
            {
                applied = await AdoptAlembicAsync(graph, session, options, cancellationToken) ?? applied;
            }

            var scope = new OperationScope(context, session, graph, applied, options) { Repeatables = repeatables };
            if (needs.History == HistoryNeed.Consistent)
            {
                scope.History.ThrowIfInconsistent();
            }

            return await verb.RunAsync(scope, cancellationToken);
        }
    }

    /// <summary>
    /// The history when it holds exactly the files' revisions with their checksums, no backfill is unfinished and no
    /// repeatable migration is pending (the database is where the files are); else null. Under the lock nothing can move, so
    /// the digest alone is read (computed by the server where it can); without it the rows are read and the digest taken
    /// from them, so what the verb reports is what was compared.
    /// </summary>
    private static async Task<IReadOnlyList<AppliedRevision>?> UpToDateHistoryAsync(
        IDatabaseSession session, FilesSnapshot files, bool locked, CancellationToken cancellationToken)
    {
        var rows = locked ? null : await session.History.ReadAppliedAsync(cancellationToken);
        var history = rows is null ? await session.History.ReadDigestAsync(cancellationToken) : HistoryDigest.Of(rows);
        if (history.Revisions != files.Revisions || history.Digest != files.Digest || history.Backfilling)
        {
            return null;
        }

        var lastChecksum = AppliedRepeatable.LastChecksums(await session.History.ReadRepeatablesAsync(cancellationToken));
        return MigrationPlan.PendingRepeatables(files.Repeatables, lastChecksum).Count == 0 ? rows ?? [] : null;
    }

    /// <summary>The history rows recorded for a database at an Alembic revision, audited; null when it has no <c>alembic_version</c> table.</summary>
    private async Task<IReadOnlyList<AppliedRevision>?> AdoptAlembicAsync(RevisionGraph graph, IDatabaseSession session, RunOptions options, CancellationToken cancellationToken)
    {
        if (await AlembicAdoption.ReadAsync(session, graph, cancellationToken) is not { } alembic)
        {
            return null;
        }

        var now = context.Time.GetUtcNow();
        var rows = HistoryStamper.RowsFor(graph, alembic.Applied, now, options);
        await HistoryStamper.WriteAsync(
            session, rows, replace: false, error => $"Adopting the Alembic database failed: {error}; nothing was changed.", cancellationToken);
        await context.AuditFor(session, options.DeployId, context.Observer.Notice)
            .WriteAsync(AuditOperations.Stamp, now, AuditOutcomes.Succeeded, rows.Select(r => r.Revision), alembic.AuditDetail);
        return rows;
    }

    /// <summary>
    /// Loads the migrations and opens a session on a database server at the same time: parsing files is
    /// work for the CPU, connecting mostly waits for the server. Invalid files still decide the outcome:
    /// their error is the one reported and the connection attempt is abandoned. An embedded database
    /// is opened only once the files are known to be valid, so nothing is created for a failed check.
    /// </summary>
    private async Task<((FilesSnapshot? Snapshot, RevisionGraph? Graph) Files, IDatabaseSession Session)> OpenAsync<TResult>(
        OperationNeeds needs, IUpToDateVerb<TResult>? quick, CancellationToken cancellationToken)
    {
        if (!needs.Graph)
        {
            needs.BeforeConnect?.Invoke(context);
            return ((null, null), await context.OpenSessionAsync(cancellationToken));
        }

        if (!context.Provider.Capabilities.ServerProcess || needs.BeforeConnect is not null)
        {
            var loaded = ReadFiles(quick);
            needs.BeforeConnect?.Invoke(context);
            return (loaded, await context.OpenSessionAsync(cancellationToken));
        }

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var opening = Task.Run(() => context.OpenSessionAsync(abandon.Token), abandon.Token);
        (FilesSnapshot?, RevisionGraph?) files;
        try
        {
            files = ReadFiles(quick);
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

        return (files, await opening);
    }

    /// <summary>The files as the last full read left them when the verb can use that and nothing changed since; else the validated graph.</summary>
    private (FilesSnapshot? Snapshot, RevisionGraph? Graph) ReadFiles<TResult>(IUpToDateVerb<TResult>? quick) =>
        quick is not null && context.Graphs.Unchanged() is { } snapshot && quick.AnswersWhenUpToDate(snapshot)
            ? (snapshot, null)
            : (null, context.Graphs.Load());
}
