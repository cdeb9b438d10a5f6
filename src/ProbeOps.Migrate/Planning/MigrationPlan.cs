using ProbeOps.Migrate.Execution;
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

    /// <summary>Nothing to apply and no backfill to resume.</summary>
    public bool IsEmpty => Steps.Count == 0 && Resume.Count == 0;
}
