using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Planning;

public enum MigrationDirection
{
    Upgrade,
    Downgrade,
}

/// <summary>
/// The revisions to run, in order: for an upgrade every parent before its child; for a downgrade
/// every child before its parent.
/// </summary>
public sealed record MigrationPlan(MigrationDirection Direction, IReadOnlyList<Revision> Steps)
{
    /// <summary>Backfills an earlier run left unfinished, parents first: an upgrade finishes them before its first step.</summary>
    public IReadOnlyList<PendingBackfill> Resume { get; init; } = [];

    /// <summary>Nothing to apply, no backfill to resume and no repeatable pending.</summary>
    public bool IsEmpty => Steps.Count == 0 && Resume.Count == 0 && Repeatables.Count == 0;

    /// <summary>Repeatable migrations to apply after the steps, in file-name order (upgrades only).</summary>
    public IReadOnlyList<RepeatableMigration> Repeatables { get; init; } = [];

    /// <summary>What the plan runs, revisions then repeatables, by id.</summary>
    public IEnumerable<string> Ids => Steps.Select(s => s.Id).Concat(Repeatables.Select(r => r.Id));

    /// <summary>
    /// This plan with the repeatables of <paramref name="graph"/> that are pending, when it is an upgrade that leaves no
    /// revision pending (a repeatable may use anything the revisions create, so it waits for all of them).
    /// </summary>
    public MigrationPlan WithRepeatables(RevisionGraph graph, IReadOnlySet<string> applied, Func<string, string?> lastChecksum)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(lastChecksum);
        if (Direction != MigrationDirection.Upgrade || graph.Repeatables.Count == 0)
        {
            return this;
        }

        var planned = Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var reachesHeads = graph.TopologicalOrder.All(r => applied.Contains(r.Id) || planned.Contains(r.Id));
        return reachesHeads ? this with { Repeatables = PendingRepeatables(graph, lastChecksum) } : this;
    }

    /// <summary>The repeatables whose checksum differs from the one last recorded, or that were never recorded, in file-name order.</summary>
    public static IReadOnlyList<RepeatableMigration> PendingRepeatables(RevisionGraph graph, Func<string, string?> lastChecksum)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return PendingRepeatables(graph.Repeatables, lastChecksum);
    }

    /// <summary>Those of <paramref name="repeatables"/> whose checksum differs from the one last recorded, or that were never recorded.</summary>
    public static IReadOnlyList<RepeatableMigration> PendingRepeatables(IReadOnlyList<RepeatableMigration> repeatables, Func<string, string?> lastChecksum)
    {
        ArgumentNullException.ThrowIfNull(repeatables);
        ArgumentNullException.ThrowIfNull(lastChecksum);
        return [.. repeatables.Where(r => !string.Equals(lastChecksum(r.Name), r.Checksum, StringComparison.Ordinal))];
    }
}
