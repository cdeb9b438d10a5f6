namespace ProbeOps.Migrate;

/// <summary>What the host does with the database before the app serves traffic.</summary>
public enum StartupPolicy
{
    /// <summary>Apply every pending migration under the migration lock; replicas starting together apply each once.</summary>
    Apply,

    /// <summary>Change nothing; refuse to start when a migration is pending, a history does not match the files, or drift is found.</summary>
    Verify,
}
