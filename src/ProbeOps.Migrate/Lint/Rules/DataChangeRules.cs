using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>
/// PL181 and PL182: data changes whose size grows with a table. In an upgrade section (or a repeatable) one statement
/// changes them all in the run's transaction; in a backfill section each run must change a bounded batch.
/// </summary>
internal static class DataChangeRules
{
    private const string Docs = "docs/backfills.md";

    public static void Check(StatementCheck check)
    {
        if (check.Statement is not DataChange change)
            return;
        if (check.Section == LintSection.Backfill)
            CheckBackfill(check, change);
        else
            CheckOneRun(check, change);
    }

    private static void CheckOneRun(StatementCheck check, DataChange change)
    {
        if (change.BoundedInOneRun)
            return;
        var existing = change.Copies
            ? new[] { change.Table, change.Source }.OfType<ObjectName>().FirstOrDefault(t => !check.IsNew(t))
            : check.IsNew(change.Table) ? (ObjectName?)null : change.Table;
        if (existing is not { } table)
            return;
        var what = change.Copies
            ? $"{change.Verb} copies every row its query returns from {change.Source} into {change.Table} in one statement of the migration's transaction: it runs as long as the table is large, and every lock the transaction holds waits for it."
            : $"{change.Verb} without a bounding WHERE or LIMIT changes every row of {table} in the migration's transaction: each row stays locked against other writers until it commits.";
        check.Report(
            LintRules.UnboundedDataChange,
            what,
            $"Move it to a `-- migrate:backfill` section that changes a bounded batch per run and repeats until a run changes no row, e.g. ... WHERE id IN (SELECT id FROM {table} WHERE ... LIMIT 5000) ({Docs}).",
            LockMode.None,
            change.Copies ? $"copies every row of {table}" : $"{change.Verb.ToLowerInvariant()}s every row of {table}");
    }

    private static void CheckBackfill(StatementCheck check, DataChange change)
    {
        if (change.BoundedPerRun)
            return;
        check.Report(
            LintRules.UnboundedBackfill,
            $"This backfill {change.Verb} does not bound the rows one run changes (no LIMIT, no keyset range): its first run changes every matching row of {change.Table} in one transaction, the very {change.Verb} a backfill replaces, and a statement whose runs never stop changing rows never ends.",
            $"Pick a batch per run that shrinks as the work is done: `WHERE id IN (SELECT id FROM {change.Table} WHERE <not done yet> LIMIT 5000)`, or a keyset range over a cursor table ({Docs}).",
            LockMode.None);
    }
}
