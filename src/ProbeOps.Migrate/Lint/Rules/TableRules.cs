using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>PL141, PL142, PL144, PL151: whole-table maintenance and destructive statements.</summary>
internal static class TableRules
{
    public static void Check(StatementCheck check)
    {
        switch (check.Statement)
        {
            case VacuumFull vacuum when vacuum.Tables.Count == 0 || vacuum.Tables.Any(t => !check.IsNew(t)):
                var tables = vacuum.Tables.Count == 0 ? "every table of the database" : string.Join(", ", vacuum.Tables);
                check.Report(
                    LintRules.VacuumFull,
                    $"VACUUM FULL rewrites {tables} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
                    "Let autovacuum (or a plain VACUUM) reclaim space; to shrink a table in service, use an online repacking tool such as pg_repack.",
                    LockMode.AccessExclusive,
                    "rewrites " + tables);
                break;
            case Cluster cluster when !check.IsNew(cluster.Table):
                check.Report(
                    LintRules.Cluster,
                    $"CLUSTER rewrites {cluster.Table} in index order under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
                    "Use an online repacking tool such as pg_repack, or accept the outage in a maintenance window.",
                    LockMode.AccessExclusive,
                    "rewrites " + cluster.Table);
                break;
            case Truncate truncate when Existing(check, truncate.Tables) is { Length: > 0 } names:
                check.Report(
                    LintRules.Truncate,
                    $"TRUNCATE {names} deletes every row, and application code still running expects them.",
                    "Delete the rows the application no longer needs in bounded batches, or make sure no running code reads the table.",
                    LockMode.AccessExclusive);
                break;
            case DropTable drop when Existing(check, drop.Tables) is { Length: > 0 } names:
                check.Report(
                    LintRules.DropTable,
                    $"DROP TABLE {names} destroys the table and its data, and breaks application code still running that uses it.",
                    "Stop using the table in a deploy of the application first, then drop it in a later migration (keep a backup).",
                    LockMode.AccessExclusive);
                break;
        }
    }

    private static string Existing(StatementCheck check, IReadOnlyList<ObjectName> tables) =>
        string.Join(", ", tables.Where(t => !check.IsNew(t)));
}
