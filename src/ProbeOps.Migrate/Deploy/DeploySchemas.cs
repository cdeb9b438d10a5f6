using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The live schema and the expected-schema builder of one deploy, shared by the inspect stage
/// (<c>--stamp-unversioned auto</c>) and the drift stage, so the live schema is read once and a
/// replay done for one is reused by the other.
/// </summary>
public sealed class DeploySchemas(ExpectedSchemaBuilder expected, DriftOptions options)
{
    /// <summary>The <c>--stamp-unversioned</c> value that picks the revision the schema matches.</summary>
    public const string AutoStamp = "auto";

    /// <summary>How many differences a failure message or the warnings list before saying how many more there are.</summary>
    private const int ListedDifferences = 20;

    private SchemaReadResult? _live;

    public ExpectedSchemaBuilder Expected => expected;

    public async Task<SchemaReadResult> LiveAsync(IDatabaseSession session, CancellationToken cancellationToken) =>
        _live ??= await DriftCheck.ReadLiveAsync(session, options, cancellationToken);

    /// <summary>The revision an unversioned database matches; refuses when none or several do.</summary>
    public async Task<string> MatchUnversionedAsync(RevisionGraph graph, IDatabaseSession session, CancellationToken cancellationToken)
    {
        var live = await LiveAsync(session, cancellationToken);
        var matches = await expected.MatchRevisionsAsync(session, live.Schema, graph, cancellationToken);
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

        var closest = matches.MinBy(m => m.Comparison.Differences.Count)
            ?? throw new MigrateException(FailureKind.InvalidMigrations, "--stamp-unversioned auto: there are no revisions to match. Nothing was changed.");
        throw new MigrateException(
            FailureKind.Drift,
            $"--stamp-unversioned auto: the schema matches no revision; the closest is {closest.Revision} with {DriftText.Count(closest.Comparison.Differences.Count)} " +
            $"({closest.Comparison.Differences[0]}). Bring the schema in line, or stamp a revision explicitly (--stamp-unversioned REV) and accept the differences with --allow-drift. Nothing was changed.",
            Diagnose(closest.Comparison));
    }

    /// <summary>The first differences, one line each, then how many more there are.</summary>
    public static IEnumerable<string> Listed(SchemaComparison comparison)
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

    public static IReadOnlyList<Diagnostic> Diagnose(SchemaComparison comparison) =>
        [.. Listed(comparison).Select(line => new Diagnostic(SchemaDiagnosticCodes.Drift, DiagnosticSeverity.Error, line))];
}
