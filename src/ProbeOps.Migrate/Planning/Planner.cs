using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Planning;

/// <summary>Decides what to apply or revert. Pure: a graph and a set of applied ids in, a plan out.</summary>
public static class Planner
{
    /// <summary>The plan that brings the database to <paramref name="target"/> in <paramref name="direction"/>.</summary>
    public static MigrationPlan Plan(MigrationDirection direction, RevisionGraph graph, IReadOnlySet<string> applied, Target target) =>
        direction == MigrationDirection.Upgrade ? PlanUpgrade(graph, applied, target) : PlanDowngrade(graph, applied, target);

    /// <summary>
    /// Every revision needed for <paramref name="target"/> (the target and its ancestors; for
    /// <see cref="TargetKind.Heads"/> every revision) that is not applied, parents first.
    /// Applied ids the graph does not know are ignored.
    /// </summary>
    public static MigrationPlan PlanUpgrade(RevisionGraph graph, IReadOnlySet<string> applied, Target target)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(target);

        var steps = target.Kind switch
        {
            TargetKind.Base => [],
            TargetKind.Heads => graph.TopologicalOrder.Where(r => !applied.Contains(r.Id)).ToList(),
            _ => InTopologicalOrder(graph, WithAncestors(graph, RequireKnown(graph, target)), id => !applied.Contains(id)),
        };
        return new MigrationPlan(MigrationDirection.Upgrade, steps);
    }

    /// <summary>
    /// Every applied revision that must go for the database to stand at <paramref name="target"/>
    /// (its applied descendants; for <see cref="TargetKind.Base"/> everything applied), children first.
    /// Throws <see cref="MigrateException"/> (Usage) when a step has no downgrade section.
    /// </summary>
    public static MigrationPlan PlanDowngrade(RevisionGraph graph, IReadOnlySet<string> applied, Target target)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(target);

        List<Revision> steps;
        switch (target.Kind)
        {
            case TargetKind.Heads:
                // Standing at every head reverts nothing.
                steps = [];
                break;
            case TargetKind.Base:
                var unknown = applied.Where(id => !graph.Contains(id)).Order(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                {
                    throw new MigrateException(
                        FailureKind.Usage,
                        $"cannot downgrade to base: applied revision(s) {ShortList.Join(unknown)} have no migration file to revert them");
                }

                steps = graph.TopologicalOrder.Where(r => applied.Contains(r.Id)).Reverse().ToList();
                break;
            default:
                var id = RequireKnown(graph, target);
                if (!applied.Contains(id))
                {
                    throw new MigrateException(FailureKind.Usage, $"{id} is not applied");
                }

                steps = InTopologicalOrder(graph, graph.DescendantsOf(id), applied.Contains);
                steps.Reverse();
                break;
        }

        var irreversible = steps.FirstOrDefault(r => r.File is { IsReversible: false });
        if (irreversible is not null)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"cannot downgrade past {irreversible.Id} ({irreversible.File!.FileName}): {irreversible.File.NoDowngrade}");
        }

        return new MigrationPlan(MigrationDirection.Downgrade, steps);
    }

    /// <summary>The applied set that <c>stamp</c> records for <paramref name="target"/>: the target and its ancestors.</summary>
    public static IReadOnlySet<string> StampSet(RevisionGraph graph, Target target)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(target);

        return target.Kind switch
        {
            TargetKind.Base => new HashSet<string>(StringComparer.Ordinal),
            TargetKind.Heads => new HashSet<string>(graph.Ids, StringComparer.Ordinal),
            _ => WithAncestors(graph, RequireKnown(graph, target)),
        };
    }

    private static string RequireKnown(RevisionGraph graph, Target target)
    {
        var id = target.RevisionId
            ?? throw new MigrateException(FailureKind.Usage, "a revision target needs a revision id");
        return graph.Contains(id) ? id : throw new MigrateException(FailureKind.Usage, $"unknown revision '{id}'");
    }

    private static HashSet<string> WithAncestors(RevisionGraph graph, string id)
    {
        var set = new HashSet<string>(graph.AncestorsOf(id), StringComparer.Ordinal) { id };
        return set;
    }

    // Sorting the subset by topological position costs O(k log k) instead of a pass over the whole graph.
    private static List<Revision> InTopologicalOrder(RevisionGraph graph, IEnumerable<string> ids, Func<string, bool> keep)
    {
        var steps = ids.Where(keep).Select(graph.TopologicalIndex).ToList();
        steps.Sort();
        return steps.ConvertAll(i => graph.TopologicalOrder[i]);
    }
}
