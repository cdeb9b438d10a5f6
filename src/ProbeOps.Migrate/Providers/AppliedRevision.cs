namespace ProbeOps.Migrate.Providers;

/// <summary>One row of the history table: a revision recorded as applied.</summary>
public sealed record AppliedRevision(
    string Revision,
    IReadOnlyList<string> Parents,
    string? Message,
    string Checksum,
    DateTimeOffset AppliedAt,
    string AppliedBy,
    long ExecutionMilliseconds,
    string DeployId);
