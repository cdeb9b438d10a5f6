using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// Stage 5: what the database holds. A versioned database's history must match the files; an
/// unversioned one (objects, no history) is stamped as <c>--stamp-unversioned</c> says, or as a
/// person answers, but only in the apply stage, after the backup.
/// </summary>
public sealed class InspectStage : IDeployStage
{
    public string Name => DeployStages.Inspect;

    public bool ChangesNothing => true;

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var graph = state.RequireGraph;
        var session = state.RequireSession;
        var found = await session.Inspector.GetStateAsync(cancellationToken);
        var applied = await session.History.ReadAppliedAsync(cancellationToken);
        if (found == DatabaseState.Versioned || applied.Count > 0)
        {
            var check = HistoryCheck.Compare(graph, applied);
            check.ThrowIfInconsistent();
            var backfilling = applied.Where(a => a.IsBackfilling).ToList();
            state.Inspection = new Inspection(DatabaseState.Versioned, check.AppliedIds, [], backfilling)
            {
                Repeatables = await session.History.ReadRepeatablesAsync(cancellationToken),
            };
            var unfinished = backfilling.Count == 0 ? "" : $"; backfilling {DeployText.Summarise(backfilling.Select(b => b.Revision))}";
            return new StageResult($"versioned at {DeployText.Summarise(graph.HeadsOf(check.AppliedIds))}{unfinished}");
        }

        if (found == DatabaseState.Empty)
        {
            state.Inspection = new Inspection(found, new HashSet<string>(StringComparer.Ordinal), [], []);
            return new StageResult("empty: every migration will run");
        }

        return await InspectUnversionedAsync(state, found, cancellationToken);
    }

    private static async Task<StageResult> InspectUnversionedAsync(DeployState state, DatabaseState found, CancellationToken cancellationToken)
    {
        var graph = state.RequireGraph;
        var objects = await state.RequireSession.Inspector.ListUserObjectsAsync(cancellationToken);
        var choice = state.Request.StampUnversioned;
        if (choice is null && await AlembicAdoption.ReadAsync(state.RequireSession, graph, cancellationToken) is { } alembic)
        {
            return Adopt(state, found, alembic);
        }

        if (choice is null && !state.Preflight)
        {
            var baseRevision = graph.Bases.Count > 0 ? graph.Bases[0].Id : "base";
            choice = state.Request.AskStamp?.Invoke(new StampQuestion(found, [.. objects.Take(10)], baseRevision)) ?? throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"The database has {objects.Count} object{(objects.Count == 1 ? "" : "s")} but no migration history: pass --stamp-unversioned base (its schema is the base revision {baseRevision}), --stamp-unversioned head (it has every migration) or --stamp-unversioned REV. Nothing was changed.");
        }

        if (choice is null)
        {
            state.Warnings.Add($"The database is unversioned ({objects.Count} objects, no history): deploy needs --stamp-unversioned base|head|REV.");
            state.Inspection = new Inspection(found, new HashSet<string>(StringComparer.Ordinal), [], []);
            return new StageResult($"unversioned: {objects.Count} objects, no history", StageOutcome.Warning);
        }

        if (choice == DeploySchemas.AutoStamp)
        {
            choice = await state.Schemas.MatchUnversionedAsync(graph, state.RequireSession, cancellationToken);
        }

        var stampSet = Planner.StampSet(graph, StampTarget(graph, choice));

        var options = new RunOptions(TransactionMode.Single, false, 0, state.DeployId, state.Context.Actor);
        var rows = HistoryStamper.RowsFor(graph, stampSet, state.Context.Time.GetUtcNow(), options);
        state.Inspection = new Inspection(found, stampSet, rows, []);
        return new StageResult($"unversioned: {objects.Count} objects; stamping {DeployText.Summarise(graph.HeadsOf(stampSet))} ({choice})");
    }

    /// <summary>A database Alembic managed: what <c>alembic_version</c> names counts as applied, stamped in the apply stage.</summary>
    private static StageResult Adopt(DeployState state, DatabaseState found, AdoptedAlembic alembic)
    {
        var graph = state.RequireGraph;
        var options = new RunOptions(TransactionMode.Single, false, 0, state.DeployId, state.Context.Actor);
        var rows = HistoryStamper.RowsFor(graph, alembic.Applied, state.Context.Time.GetUtcNow(), options);
        state.Inspection = new Inspection(found, alembic.Applied, rows, []) { Alembic = alembic };
        var at = alembic.Revisions.Count == 0 ? "base" : DeployText.Summarise(alembic.Revisions);
        return new StageResult($"managed by Alembic at {at} ({AlembicAdoption.VersionTable}): adopting {rows.Count} revision{(rows.Count == 1 ? "" : "s")} as applied");
    }

    private static Target StampTarget(RevisionGraph graph, string choice) => choice switch
    {
        "base" => graph.Bases.Count == 1
            ? Target.Revision(graph.Bases[0].Id)
            : throw new MigrateException(FailureKind.InvalidMigrations, "--stamp-unversioned base needs exactly one base revision."),
        "head" => Target.Heads,
        _ => TargetResolver.Resolve(graph, choice, new HashSet<string>(StringComparer.Ordinal)),
    };
}
