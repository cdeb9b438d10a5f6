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
    string Sql);
