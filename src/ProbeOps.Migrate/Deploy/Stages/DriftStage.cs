using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 6: the live schema against the one the migrations produce at the applied revisions (exit 9 unless <c>--allow-drift</c>).</summary>
public sealed class DriftStage : IDeployStage
{
    public string Name => DeployStages.Drift;

    public bool ChangesNothing => true;

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var inspection = state.RequireInspection;
        var session = state.RequireSession;
        var request = state.Request;
        if (inspection.State == DatabaseState.Empty)
        {
            return new StageResult("empty database: nothing to compare", StageOutcome.Skipped);
        }

        if (inspection.State == DatabaseState.Unversioned && inspection.Applied.Count == 0)
        {
            return new StageResult("unversioned and not stamped: nothing to compare against", StageOutcome.Skipped);
        }

        if (session.SchemaReader is null)
        {
            state.Warnings.Add($"The {session.Target.Provider} provider cannot read schemas: the expected-schema check was skipped.");
            return new StageResult("the provider cannot read schemas", StageOutcome.Skipped);
        }

        DriftReport report;
        try
        {
            var live = await state.Schemas.LiveAsync(session, cancellationToken);
            report = await DriftCheck.RunAsync(
                state.Schemas.Expected, request.Drift, session, state.RequireGraph, inspection.Applied, state.Context.Time, cancellationToken, live,
                state.Context.RecordedRepeatables(inspection.Repeatables));
        }
        catch (ShadowDatabaseUnavailableException ex) when (request.Drift.Method == DriftMethod.Auto)
        {
            // Never the reason a deploy fails: with nothing to compare against, the check is skipped, and the
            // schema this deploy leaves is recorded, so the next one is checked.
            state.DriftCheck = DriftChecks.None;
            state.Warnings.Add($"The expected-schema check did not run (no shadow database, no recorded schema): {ex.Message}");
            return new StageResult("not checked: no shadow database and no recorded schema yet; the schema is recorded at the end of this run", StageOutcome.Warning);
        }
        catch (MigrateException ex) when (request.AllowDrift)
        {
            state.Warnings.Add($"The expected-schema check could not run (continuing: --allow-drift): {ex.Message}");
            return new StageResult("could not check: " + ex.Message, StageOutcome.Warning);
        }

        return Judge(state, report);
    }

    private static StageResult Judge(DeployState state, DriftReport report)
    {
        state.DriftCheck = report.Check;
        var source = DriftChecks.Describe(report.Check);
        var notes = report.Comparison.Notes.Count == 0 ? "" : $"; {report.Comparison.Notes.Count} note{(report.Comparison.Notes.Count == 1 ? "" : "s")} (column order)";
        if (!report.HasDrift)
        {
            return new StageResult($"matches the migrations ({source}{notes})");
        }

        var count = DriftText.Count(report.Comparison.Differences.Count);
        var first = report.Comparison.Differences[0];
        if (state.Request.AllowDrift)
        {
            state.Warnings.AddRange(DeploySchemas.Listed(report.Comparison).Select(line => "drift: " + line));
            return new StageResult($"{count} (continuing: --allow-drift); first: {first}", StageOutcome.Warning);
        }

        throw new MigrateException(
            FailureKind.Drift,
            $"Schema drift: the database differs from its migrations at {DeployText.Summarise(report.Heads)} in {count} (first: {first}). " +
            "Run `probeops-migrate drift` for the report; fix the schema, or pass --allow-drift to deploy anyway. Nothing was changed.",
            DeploySchemas.Diagnose(report.Comparison));
    }
}
