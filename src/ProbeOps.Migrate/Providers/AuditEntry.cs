namespace ProbeOps.Migrate.Providers;

/// <summary>The audited operations (SPEC §7).</summary>
public static class AuditOperations
{
    public const string Upgrade = "upgrade";
    public const string Downgrade = "downgrade";
    public const string Stamp = "stamp";
    public const string Reset = "reset";
    public const string Restore = "restore";

    /// <summary>An edited applied file accepted: the recorded checksum replaced, with the reason.</summary>
    public const string Amend = "amend";
}

/// <summary>The audited outcomes.</summary>
public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>A <c>transaction:false</c> section stopped part-way: some of its statements stay committed (the detail says which).</summary>
    public const string Partial = "partial";
}

/// <summary>One row of the append-only audit log.</summary>
/// <param name="Revisions">The revisions the operation touched, comma-separated; empty when none.</param>
/// <param name="Detail">A short free-text detail (an error message, a backup file), never a password.</param>
/// <param name="Environment">The environment of the config file the operation ran in (SPEC §14); null without one.</param>
public sealed record AuditEntry(
    string DeployId,
    string Operation,
    string User,
    string Host,
    string ToolVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Outcome,
    string Revisions,
    string? Detail,
    string? Environment = null);
