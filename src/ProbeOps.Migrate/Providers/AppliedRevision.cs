namespace ProbeOps.Migrate.Providers;

/// <summary>One row of the history table: a revision recorded as applied.</summary>
/// <param name="BackfillStatement">
/// For a revision whose upgrade has committed but whose backfill has not finished: the 1-based number of the
/// backfill statement to run next. Null when nothing is outstanding.
/// </param>
public sealed record AppliedRevision(
    string Revision,
    IReadOnlyList<string> Parents,
    string? Message,
    string Checksum,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    long ExecutionMilliseconds,
    string DeployId,
    int? BackfillStatement = null)
{
    /// <summary>The upgrade has committed; the backfill has not finished.</summary>
    public bool IsBackfilling => BackfillStatement is not null;
}

/// <summary>One application of a repeatable migration, as its table records it.</summary>
/// <param name="Name">The repeatable's name (its file name without <c>.sql</c>).</param>
/// <param name="Checksum">The checksum of the section applied, over its text before placeholders were replaced.</param>
/// <param name="Sql">The section text applied, before placeholders were replaced: drift replays it, and no value is stored.</param>
public sealed record AppliedRepeatable(
    string Name,
    string Checksum,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    long ExecutionMilliseconds,
    string DeployId,
    string Sql)
{
    /// <summary>The last application of each repeatable, by name.</summary>
    public static IReadOnlyDictionary<string, AppliedRepeatable> LastOfEach(IEnumerable<AppliedRepeatable> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var last = new Dictionary<string, AppliedRepeatable>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            last[row.Name] = row;
        }

        return last;
    }

    /// <summary>The checksum each repeatable was last applied with, by name (null: never applied).</summary>
    public static Func<string, string?> LastChecksums(IEnumerable<AppliedRepeatable> rows)
    {
        var last = LastOfEach(rows);
        return name => last.TryGetValue(name, out var row) ? row.Checksum : null;
    }
}

/// <summary>The applied revisions in short (<see cref="IHistoryStore.ReadDigestAsync"/>).</summary>
/// <param name="Revisions">How many revisions are applied.</param>
/// <param name="Digest">The <see cref="Files.RevisionDigest"/> of their revisions and recorded checksums.</param>
/// <param name="Backfilling">Whether one of them has a backfill still to finish.</param>
public sealed record HistoryDigest(int Revisions, string Digest, bool Backfilling)
{
    public static HistoryDigest Of(IReadOnlyList<AppliedRevision> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        return new(applied.Count, Files.RevisionDigest.Of(applied.Select(a => (a.Revision, a.Checksum))), applied.Any(a => a.IsBackfilling));
    }
}
