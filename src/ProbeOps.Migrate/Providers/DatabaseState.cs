namespace ProbeOps.Migrate.Providers;

/// <summary>What a database holds before a deploy (SPEC §6 step 5).</summary>
public enum DatabaseState
{
    /// <summary>No user objects and no history.</summary>
    Empty,

    /// <summary>User objects but no history table (or an empty one).</summary>
    Unversioned,

    /// <summary>A history table with at least one applied revision.</summary>
    Versioned,
}
