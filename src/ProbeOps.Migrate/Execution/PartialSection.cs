using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// How far a <c>transaction:false</c> section got before it stopped: its statements run one by one, each
/// committed on its own, so the first <paramref name="Ran"/> of <paramref name="Total"/> stay committed.
/// </summary>
/// <param name="Ran">The statements that ran and committed, counted from the first.</param>
/// <param name="HistoryFailed">Every statement ran, and writing the history row failed.</param>
public sealed record PartialSection(string Revision, MigrationDirection Direction, int Ran, int Total, bool HistoryFailed = false)
{
    /// <summary>Whether the database holds part of the section's work.</summary>
    public bool ChangedSomething => Ran > 0;

    /// <summary>Exactly what ran, what failed and what did not run, in a sentence.</summary>
    public string Describe()
    {
        if (HistoryFailed)
        {
            return $"all {Statements(Total)} of {Revision} ran outside a transaction and stay committed, but its history row was not written";
        }

        if (Ran == 0)
        {
            return $"statement 1 of {Total} of {Revision} failed, so none of its statements ran";
        }

        var ran = Ran == 1 ? "statement 1" : $"statements 1-{Ran}";
        var rest = Ran + 2 > Total ? "" : Ran + 2 == Total ? $", statement {Total} did not run" : $", statements {Ran + 2}-{Total} did not run";
        return $"{ran} of {Total} of {Revision} ran outside a transaction and stay{(Ran == 1 ? "s" : "")} committed, statement {Ran + 1} failed{rest}";
    }

    /// <summary>What the next run does about it: the whole section runs again, so its statements must be safe to repeat.</summary>
    public string Rerun() =>
        $"the next {(Direction == MigrationDirection.Upgrade ? "upgrade" : "downgrade")} runs {Revision}'s section again from its first statement";

    private static string Statements(int count) => count == 1 ? "1 statement" : $"{count} statements";
}

/// <summary>A <c>transaction:false</c> section left part-way, as the audit log records it (<see cref="AuditOutcomes.Partial"/>).</summary>
/// <param name="Operation"><see cref="AuditOperations.Upgrade"/> or <see cref="AuditOperations.Downgrade"/>.</param>
/// <param name="Detail">What ran, what failed and what did not run.</param>
public sealed record PartialRun(string Revision, string Operation, string DeployId, DateTimeOffset At, string Detail)
{
    /// <summary>
    /// The sections still left part-way: the last <see cref="AuditOutcomes.Partial"/> row of a revision, unless a later
    /// successful operation named it (or a reset or restore replaced the database), and only while the history
    /// still reads as before that run (an upgrade's revision not applied, a downgrade's still applied).
    /// </summary>
    public static IReadOnlyList<PartialRun> Find(IReadOnlyList<AuditEntry> audit, IReadOnlySet<string> applied)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(applied);
        var open = new Dictionary<string, PartialRun>(StringComparer.Ordinal);
        foreach (var row in audit)
        {
            var revisions = row.Revisions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (row.Outcome == AuditOutcomes.Partial)
            {
                foreach (var revision in revisions)
                    open[revision] = new PartialRun(revision, row.Operation, row.DeployId, row.FinishedAt, row.Detail ?? "");
            }
            else if (row.Outcome == AuditOutcomes.Succeeded && row.Operation is AuditOperations.Reset or AuditOperations.Restore)
            {
                open.Clear();
            }
            else if (row.Outcome == AuditOutcomes.Succeeded)
            {
                foreach (var revision in revisions)
                    open.Remove(revision);
            }
        }

        return [.. open.Values
            .Where(p => applied.Contains(p.Revision) == (p.Operation == AuditOperations.Downgrade))
            .OrderBy(p => p.At)];
    }
}
