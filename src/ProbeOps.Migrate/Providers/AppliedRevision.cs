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
