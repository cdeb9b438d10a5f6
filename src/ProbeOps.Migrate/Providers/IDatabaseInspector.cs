namespace ProbeOps.Migrate.Providers;

/// <summary>Looks at what the database holds, without changing it.</summary>
public interface IDatabaseInspector
{
    /// <summary>Empty, unversioned or versioned; the history and audit tables do not count as user objects.</summary>
    Task<DatabaseState> GetStateAsync(CancellationToken cancellationToken);

    /// <summary>Names of the user objects (tables, views, sequences, functions, types), qualified, sorted; history and audit excluded.</summary>
    Task<IReadOnlyList<string>> ListUserObjectsAsync(CancellationToken cancellationToken);

    /// <summary>The revisions in Alembic's <c>alembic_version</c> table (SPEC §13), sorted; null when there is no such table.</summary>
    Task<IReadOnlyList<string>?> ReadAlembicVersionAsync(CancellationToken cancellationToken);
}
