using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 6 (the expected-schema check) and <c>--stamp-unversioned auto</c>, which share one live reading and one replay.</summary>
public sealed partial class DeployPipeline
{
    /// <summary>The <c>--stamp-unversioned</c> value that picks the revision the schema matches.</summary>
    public const string AutoStamp = "auto";

    /// <summary>How many differences a failure message or the warnings list before saying how many more there are.</summary>
    private const int ListedDifferences = 20;

    private ExpectedSchemaBuilder? _expected;
    private SchemaReadResult? _live;

    private ExpectedSchemaBuilder ExpectedSchemas(DeployRequest request) =>
        _expected ??= new ExpectedSchemaBuilder(providers.Resolve(settings.RequireDatabase()).Provider, settings, providers, request.Drift, time, observer, actor);

    private async Task<SchemaReadResult> LiveSchemaAsync(IDatabaseSession session, DeployRequest request, CancellationToken cancellationToken) =>
        _live ??= await DriftCheck.ReadLiveAsync(session, request.Drift, cancellationToken);

    /// <summary>The revision an unversioned database matches; refuses when none or several do.</summary>
    private async Task<string> MatchUnversionedAsync(RevisionGraph graph, IDatabaseSession session, DeployRequest request, CancellationToken cancellationToken)
    {
        var live = await LiveSchemaAsync(session, request, cancellationToken);
        var matches = await ExpectedSchemas(request).MatchRevisionsAsync(session, live.Schema, graph, cancellationToken);
        var exact = matches.Where(m => m.Matches).ToList();
        if (exact.Count == 1)
        {
            return exact[0].Revision == "heads" ? "head" : exact[0].Revision;
        }

        if (exact.Count > 1)
        {
            throw new MigrateException(
                FailureKind.ConfirmationRequired,
                $"--stamp-unversioned auto: the schema matches {exact.Count} revisions ({ShortList.Join(exact.Select(m => m.Revision))}), which differ only in data: " +
                "pass --stamp-unversioned with the revision the database is at. Nothing was changed.");
        }

        var closest = matches.MinBy(m => m.Comparison.Differences.Count);
        if (closest is null)
        {
            throw new MigrateException(FailureKind.InvalidMigrations, "--stamp-unversioned auto: there are no revisions to match. Nothing was changed.");
        }

        throw new MigrateException(
            FailureKind.Drift,
            $"--stamp-unversioned auto: the schema matches no revision; the closest is {closest.Revision} with {DriftText.Count(closest.Comparison.Differences.Count)} " +
            $"({closest.Comparison.Differences[0]}). Bring the schema in line, or stamp a revision explicitly (--stamp-unversioned REV) and accept the differences with --allow-drift. Nothing was changed.",
            Diagnose(closest.Comparison, DiagnosticSeverity.Error));
    }

    private async Task<(bool Value, string Detail, StageOutcome Outcome)> CheckDriftAsync(
        RevisionGraph graph, IDatabaseSession session, DatabaseState state, IReadOnlySet<string> applied, DeployRequest request, CancellationToken cancellationToken)
    {
        if (state == DatabaseState.Empty)
        {
            return (true, "empty database: nothing to compare", StageOutcome.Skipped);
        }

        if (state == DatabaseState.Unversioned && applied.Count == 0)
        {
            return (true, "unversioned and not stamped: nothing to compare against", StageOutcome.Skipped);
        }

        if (session.SchemaReader is null)
        {
            _warnings.Add($"The {session.Target.Provider} provider cannot read schemas: the expected-schema check was skipped.");
            return (true, "the provider cannot read schemas", StageOutcome.Skipped);
        }

        DriftReport report;
        try
        {
            var live = await LiveSchemaAsync(session, request, cancellationToken);
            report = await DriftCheck.RunAsync(ExpectedSchemas(request), request.Drift, session, graph, applied, time, cancellationToken, live);
        }
        catch (MigrateException ex) when (request.AllowDrift)
        {
            _warnings.Add($"The expected-schema check could not run (continuing: --allow-drift): {ex.Message}");
            return (false, "could not check: " + ex.Message, StageOutcome.Warning);
        }

        var source = report.Expected.Source switch
        {
            ExpectedSchemaSource.Cache => "cached replay",
            ExpectedSchemaSource.Snapshot => "snapshot",
            _ => "shadow replay",
        };
        var notes = report.Comparison.Notes.Count == 0 ? "" : $"; {report.Comparison.Notes.Count} note{(report.Comparison.Notes.Count == 1 ? "" : "s")} (column order)";
        if (!report.HasDrift)
        {
            return (true, $"matches the migrations ({source}{notes})", StageOutcome.Passed);
        }

        var count = DriftText.Count(report.Comparison.Differences.Count);
        var first = report.Comparison.Differences[0];
        if (request.AllowDrift)
        {
            _warnings.AddRange(Listed(report.Comparison).Select(line => "drift: " + line));
            return (false, $"{count} (continuing: --allow-drift); first: {first}", StageOutcome.Warning);
        }

        throw new MigrateException(
            FailureKind.Drift,
            $"Schema drift: the database differs from its migrations at {Summarise(report.Heads)} in {count} (first: {first}). " +
            "Run `probeops-migrate drift` for the report; fix the schema, or pass --allow-drift to deploy anyway. Nothing was changed.",
            Diagnose(report.Comparison, DiagnosticSeverity.Error));
    }

    private static IEnumerable<string> Listed(SchemaComparison comparison)
    {
        foreach (var difference in comparison.Differences.Take(ListedDifferences))
        {
            yield return difference.ToString();
        }

        if (comparison.Differences.Count > ListedDifferences)
        {
            yield return $"... and {comparison.Differences.Count - ListedDifferences} more (run `probeops-migrate drift`)";
        }
    }

    private static IReadOnlyList<Diagnostic> Diagnose(SchemaComparison comparison, DiagnosticSeverity severity) =>
        [.. Listed(comparison).Select(line => new Diagnostic(SchemaDiagnosticCodes.Drift, severity, line))];
}
