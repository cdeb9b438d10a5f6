using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Cli.Json;

/// <summary><c>drift --json</c>: which check ran, against what, and every difference.</summary>
public sealed record DriftDocument(
    string Database,
    IReadOnlyList<string> Heads,
    bool Drift,
    string Check,
    ExpectedDocument Expected,
    IReadOnlyList<DifferenceDocument> Differences,
    IReadOnlyList<string> Notes,
    int Excluded,
    long ElapsedMs) : CommandDocument
{
    public static DriftDocument From(DriftReport report) => new(
        report.Database,
        report.Heads,
        report.HasDrift,
        report.Check,
        new ExpectedDocument(report.Expected.Source.ToString().ToLowerInvariant(), report.Expected.Description, report.Expected.RevisionCount),
        report.Comparison.Differences.Select(DifferenceDocument.From).ToList(),
        report.Comparison.Notes,
        report.Comparison.ExcludedCount,
        (long)report.Elapsed.TotalMilliseconds);
}

/// <summary>Where the expected schema came from.</summary>
public sealed record ExpectedDocument(string Source, string Description, int Revisions);

/// <summary>One difference; <c>property</c>, <c>expected</c> and <c>actual</c> are null unless a property of the object differs.</summary>
public sealed record DifferenceDocument(
    string Change, string Kind, string Name, string OwnerKind, string Owner, string? Property, string? Expected, string? Actual, string Text)
{
    public static DifferenceDocument From(SchemaDifference d) => new(
        d.Change.ToString().ToLowerInvariant(), d.Kind.Describe(), d.Name, d.OwnerKind.Describe(), d.Owner, d.Property, d.Expected, d.Actual, d.ToString());
}

/// <summary><c>snapshot --json</c>.</summary>
public sealed record SnapshotDocument(string Path, IReadOnlyList<string> Heads, int Revisions, bool UpToDate, bool Written) : CommandDocument;
