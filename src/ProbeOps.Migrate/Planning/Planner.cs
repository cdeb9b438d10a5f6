using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Planning;

/// <summary>Decides what to apply or revert. Pure: a graph and a set of applied ids in, a plan out.</summary>
public static class Planner
{
    /// <summary>
    /// Every revision needed for <paramref name="target"/> (the target and its ancestors; for
    /// <see cref="TargetKind.Heads"/> every revision) that is not applied, parents first.
    /// </summary>
    public static MigrationPlan PlanUpgrade(RevisionGraph graph, IReadOnlySet<string> applied, Target target) =>
        throw new NotImplementedException();

    /// <summary>
    /// Every applied revision that must go for the database to stand at <paramref name="target"/>
    /// (its applied descendants; for <see cref="TargetKind.Base"/> everything applied), children first.
    /// Throws <see cref="MigrateException"/> (Usage) when a step has no downgrade section.
    /// </summary>
    public static MigrationPlan PlanDowngrade(RevisionGraph graph, IReadOnlySet<string> applied, Target target) =>
        throw new NotImplementedException();

    /// <summary>The applied set that <c>stamp</c> records for <paramref name="target"/>: the target and its ancestors.</summary>
    public static IReadOnlySet<string> StampSet(RevisionGraph graph, Target target) =>
        throw new NotImplementedException();
}
