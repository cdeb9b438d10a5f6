using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Alembic;

/// <summary>What a database's <c>alembic_version</c> says is applied: the revisions it names, and them with their ancestors.</summary>
public sealed record AdoptedAlembic(IReadOnlyList<string> Revisions, IReadOnlySet<string> Applied)
{
    /// <summary>The audit detail of the adoption (SPEC §13).</summary>
    public string AuditDetail =>
        Revisions.Count == 0
            ? $"adopted an Alembic database at base ({AlembicAdoption.VersionTable} is empty): nothing recorded; {AlembicAdoption.VersionTable} left as it was"
            : $"adopted an Alembic database at {string.Join(", ", Revisions)} ({AlembicAdoption.VersionTable}): {Applied.Count} revision{(Applied.Count == 1 ? "" : "s")} recorded as applied; {AlembicAdoption.VersionTable} left as it was";
}

/// <summary>
/// A database Alembic managed, met with no history of its own (SPEC §13): the revisions named in
/// <c>alembic_version</c>, and their ancestors, count as applied. The table itself is never changed.
/// </summary>
public static class AlembicAdoption
{
    public const string VersionTable = "alembic_version";

    /// <summary>The adoption, or null when the database has no <c>alembic_version</c> table.</summary>
    public static async Task<AdoptedAlembic?> ReadAsync(IDatabaseSession session, RevisionGraph graph, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(graph);
        var named = await session.Inspector.ReadAlembicVersionAsync(cancellationToken);
        if (named is null)
        {
            return null;
        }

        var unknown = named.Where(r => !graph.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"{VersionTable} names {string.Join(", ", unknown)}, which no migration file holds: import the Alembic project first (probeops-migrate import-alembic DIR). Nothing was changed.");
        }

        var applied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var revision in named)
        {
            applied.UnionWith(Planner.StampSet(graph, Target.Revision(revision)));
        }

        return new AdoptedAlembic(named, applied);
    }
}
