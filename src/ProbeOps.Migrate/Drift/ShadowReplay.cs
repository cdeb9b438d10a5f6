using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Drift;

/// <summary>A reading to take during a replay: the label it answers, its memory and cache key, and the migrations hash.</summary>
internal sealed record ReplayReading(string Label, string Key, string Hash);

/// <summary>
/// Replays migrations into one shadow database, as a deploy would apply them, and reads its schema
/// at the points asked for.
/// </summary>
internal sealed class ShadowReplay(
    IDatabaseProvider provider,
    ShadowDatabaseOpener shadows,
    DriftOptions options,
    TimeProvider time,
    IMigrationObserver observer,
    Actor actor)
{
    /// <summary>
    /// Replays <paramref name="revisions"/> in order, reading the shadow database whenever the number
    /// applied is a key of <paramref name="readAfter"/> (zero: before any) and handing each reading,
    /// with the readings it answers, to <paramref name="read"/>. <paramref name="repeatables"/> are applied once
    /// every revision is, before the last reading.
    /// </summary>
    public async Task RunAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlyList<Revision> revisions,
        IReadOnlyDictionary<int, List<ReplayReading>> readAfter,
        Action<IReadOnlyList<ReplayReading>, ExpectedSchema> read,
        CancellationToken cancellationToken,
        IReadOnlyList<RepeatableMigration>? repeatables = null)
    {
        var shadow = await shadows.OpenAsync(live, cancellationToken);
        try
        {
            var session = shadow.Session;
            var reader = session.SchemaReader
                ?? throw new MigrateException(FailureKind.Usage, $"The {provider.Name} provider cannot read schemas.");
            // Backfills change data, not the schema: a replay leaves them out (RunAsync).
            var deployId = "shadow-" + ToolInfo.NewDeployId(time);
            var lockTable = await session.ReadLockTableAsync(cancellationToken);
            var applied = 0;
            while (true)
            {
                if (applied == revisions.Count && repeatables is { Count: > 0 })
                {
                    await ApplyRepeatablesAsync(session, deployId, shadow, repeatables, cancellationToken);
                }

                if (readAfter.TryGetValue(applied, out var readings))
                {
                    var schema = await reader.ReadAsync(new SchemaReadOptions(options.IncludePrivileges), cancellationToken);
                    var replayed = revisions.Take(applied).ToList();
                    read(readings, new ExpectedSchema(
                        schema.Schema, ExpectedSchemaSource.Shadow, HeadsOf(graph, replayed), applied, readings[0].Hash, session.ServerVersion,
                        $"replayed {Count(applied)} into {shadow.Description}"));
                }

                if (applied == revisions.Count)
                {
                    break;
                }

                // Up to the next reading in one run: one transaction for the transactional stretch, as a deploy would.
                var next = readAfter.Keys.Where(k => k > applied).DefaultIfEmpty(revisions.Count).Min();
                await ApplyAsync(session, deployId, shadow, [.. revisions.Skip(applied).Take(next - applied)], lockTable, cancellationToken);
                applied = next;
            }
        }
        finally
        {
            await shadow.DisposeAsync();
            if (shadow.CleanupProblem is { } problem)
            {
                observer.Notice(problem);
            }
        }
    }

    public static IReadOnlyList<string> HeadsOf(RevisionGraph graph, IReadOnlyList<Revision> revisions) =>
        graph.HeadsOf(revisions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal));

    public static string Count(int revisions) => revisions == 1 ? "1 migration" : $"{revisions} migrations";

    /// <summary>
    /// Applies <paramref name="steps"/> as a default deploy would, in one transaction, or in as few as the server's
    /// lock table has room for (<see cref="ReplayLocks"/>), with a notice saying so.
    /// </summary>
    private async Task ApplyAsync(
        IDatabaseSession session, string deployId, IShadowDatabase shadow, List<Revision> steps, LockTableSize? table, CancellationToken cancellationToken)
    {
        var chunks = ReplayLocks.Chunks(steps, table, out var total);
        if (chunks.Count > 1)
        {
            observer.Notice(ReplayLocks.Notice(chunks.Count, total, table!));
        }

        foreach (var chunk in chunks)
        {
            await ApplyChunkAsync(session, deployId, shadow, chunk, table, cancellationToken);
        }
    }

    /// <summary>
    /// Applies <paramref name="steps"/> in one transaction. A throwaway database needs no atomicity, so when that
    /// fails the steps left are applied a transaction each, as <c>--transaction per-migration</c> would (an enum
    /// value added by one migration and used by the next is valid only so): the expected schema is never stricter
    /// than a deploy. A full lock table ends the replay (the server's error leaves the session unusable).
    /// </summary>
    private async Task ApplyChunkAsync(
        IDatabaseSession session, string deployId, IShadowDatabase shadow, List<Revision> steps, LockTableSize? table, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(session, deployId, TransactionMode.Single, steps, cancellationToken);
            return;
        }
        catch (MigrationFailedException ex) when (ex.SqlState == OutOfSharedMemory)
        {
            throw new MigrateException(
                FailureKind.MigrationFailed,
                $"The expected schema cannot be computed: replaying the migrations into {shadow.Description} failed: " +
                $"{ReplayLocks.TooSmall(ReplayLocks.Estimate(steps), table)}. Nothing was changed in the database checked.",
                ex);
        }
        catch (MigrateException ex) when (ex is not ShadowDatabaseUnavailableException && ex.Kind == FailureKind.MigrationFailed)
        {
            // Whatever committed before the failure (a transaction:false section) is in the shadow's history.
            var done = (await session.History.ReadAppliedAsync(cancellationToken)).Select(a => a.Revision).ToHashSet(StringComparer.Ordinal);
            var left = steps.Where(s => !done.Contains(s.Id)).ToList();
            try
            {
                await RunAsync(session, deployId, TransactionMode.PerMigration, left, cancellationToken);
            }
            catch (MigrateException perMigration) when (perMigration is not ShadowDatabaseUnavailableException)
            {
                throw new MigrateException(
                    FailureKind.MigrationFailed,
                    $"The expected schema cannot be computed: replaying the migrations into {shadow.Description} failed, in one transaction and a transaction per migration: {perMigration.Message} " +
                    "Every migration must run on an empty database of this server; nothing was changed in the database checked.",
                    perMigration);
            }

            observer.Notice($"The migrations were replayed a transaction per migration: in one transaction they fail ({ex.Message}).");
        }
    }

    /// <summary>PostgreSQL's "out of shared memory": the lock table is full.</summary>
    private const string OutOfSharedMemory = "53200";

    /// <summary>Applies the repeatables, as last recorded, after every revision.</summary>
    private async Task ApplyRepeatablesAsync(
        IDatabaseSession session, string deployId, IShadowDatabase shadow, IReadOnlyList<RepeatableMigration> repeatables, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(session, deployId, TransactionMode.Single, [], cancellationToken, repeatables);
        }
        catch (MigrateException ex) when (ex is not ShadowDatabaseUnavailableException && ex.Kind == FailureKind.MigrationFailed)
        {
            throw new MigrateException(
                FailureKind.MigrationFailed,
                $"The expected schema cannot be computed: replaying the repeatable migrations into {shadow.Description} failed: {ex.Message} " +
                "Nothing was changed in the database checked.",
                ex);
        }
    }

    private Task<IReadOnlyList<StepResult>> RunAsync(
        IDatabaseSession session,
        string deployId,
        TransactionMode mode,
        List<Revision> steps,
        CancellationToken cancellationToken,
        IReadOnlyList<RepeatableMigration>? repeatables = null)
    {
        var runner = new MigrationRunner(session, new RunOptions(mode, DryRun: false, LockRetries: 0, deployId, actor, Backfills: false), time, observer);
        return runner.RunAsync(new MigrationPlan(MigrationDirection.Upgrade, steps) { Repeatables = repeatables ?? [] }, cancellationToken);
    }
}
