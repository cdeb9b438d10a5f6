namespace ProbeOps.Migrate.Execution;

/// <summary>How pending transactional migrations are grouped into transactions (SPEC §6 step 9).</summary>
public enum TransactionMode
{
    /// <summary>All pending transactional migrations of a run in one transaction: all or nothing.</summary>
    Single,

    /// <summary>Each migration commits on its own, together with its history row.</summary>
    PerMigration,
}
