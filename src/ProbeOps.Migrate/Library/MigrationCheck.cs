using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Drift;

namespace ProbeOps.Migrate;

/// <summary>
/// Where a database stands against its migrations, as a health check or a verify-only start-up sees it: the
/// <see cref="Status"/>, and the drift check when one was asked for and could run.
/// </summary>
/// <param name="Drift">The drift report; null when drift was not checked.</param>
/// <param name="DriftNotChecked">Why drift was not checked, when it was asked for and could not be (no recorded schema yet).</param>
public sealed record MigrationCheck(StatusResult Status, DriftReport? Drift, string? DriftNotChecked)
{
    /// <summary>Revisions or repeatable migrations the next upgrade applies.</summary>
    public int Pending => Status.Pending.Count + Status.PendingRepeatables.Count;

    /// <summary>Applied revisions whose backfill has not finished.</summary>
    public int UnfinishedBackfills => Status.Backfilling.Count;

    public bool HasDrift => Drift?.HasDrift == true;

    /// <summary>Nothing pending, edited, unknown, left part-way or backfilling, and no drift.</summary>
    public bool IsUpToDate => Status.IsUpToDate && !HasDrift;

    /// <summary>What needs someone's attention, one short phrase each (<c>2 pending</c>, <c>drift: 3 differences</c>); empty when nothing does.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Status.NeedingAttention().ToList();
        if (Drift is { HasDrift: true } drift)
        {
            var count = drift.Comparison.Differences.Count;
            problems.Add($"drift: {count} difference{(count == 1 ? "" : "s")} from the {drift.Check} check");
        }

        return problems;
    }
}
