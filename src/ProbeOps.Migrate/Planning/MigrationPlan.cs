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
    public bool IsEmpty => Steps.Count == 0;
}
