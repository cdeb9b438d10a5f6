namespace ProbeOps.Migrate.Providers;

/// <summary>The destructive half of <c>reset</c>.</summary>
public interface IDatabaseCleaner
{
    /// <summary>
    /// Drops every user object and the history table in one transaction, keeping the audit log.
    /// Afterwards the database is empty but for the audit table.
    /// </summary>
    Task DropAllAsync(CancellationToken cancellationToken);
}
