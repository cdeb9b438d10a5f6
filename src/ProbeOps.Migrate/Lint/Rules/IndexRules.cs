using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>PL101-PL104: index builds and drops that lock a table in service, and concurrent builds that cannot be retried.</summary>
internal static class IndexRules
{
    private const string NonTransactional = "in a `-- migrate:upgrade transaction:false` section";

    public static void Check(StatementCheck check)
    {
        switch (check.Statement)
        {
            case CreateIndex create:
                Create(check, create);
                break;
            case DropIndex drop when !drop.Concurrently:
                Drop(check, drop);
                break;
            case Reindex reindex when !reindex.Concurrently:
                Reindex(check, reindex);
                break;
        }
    }

    private static void Create(StatementCheck check, CreateIndex create)
    {
        var name = create.Index?.ToString() ?? "the index";
        if (!create.Concurrently && !check.IsNew(create.Table))
        {
            check.Report(
                LintRules.IndexWithoutConcurrently,
                $"CREATE {(create.Unique ? "UNIQUE " : "")}INDEX builds {name} on existing table {create.Table} under a SHARE lock: every write to {create.Table} waits until the build has read the whole table.",
                $"Build it with CREATE {(create.Unique ? "UNIQUE " : "")}INDEX CONCURRENTLY IF NOT EXISTS {NonTransactional}.",
                LockMode.Share,
                $"builds index {name} on {create.Table}");
        }

        if (create.Concurrently && !check.InTransaction && !create.IfNotExists)
        {
            check.Report(
                LintRules.ConcurrentIndexNotRetryable,
                $"A failed CREATE INDEX CONCURRENTLY leaves {name} behind as an INVALID index, and running the migration again then fails on the name or adds a second index.",
                "Name the index and write CREATE INDEX CONCURRENTLY IF NOT EXISTS; before it, DROP INDEX CONCURRENTLY IF EXISTS the same name so a retry rebuilds an invalid leftover.",
                LockMode.None);
        }
    }

    private static void Drop(StatementCheck check, DropIndex drop)
    {
        ObjectName? table = null;
        foreach (var index in drop.Indexes)
        {
            if (check.Model.Index(index) is not { } known)
                continue;
            if (check.Scope.CreatedInRun(known.CreatedBy) || check.IsNew(known.Table))
                return;
            table = known.Table;
        }

        var on = table is { } t ? "table " + t : "the index's table";
        check.Report(
            LintRules.DropIndexWithoutConcurrently,
            $"DROP INDEX takes an ACCESS EXCLUSIVE lock on {on}: it waits for every query running on it, and all reads and writes queue behind it.",
            $"Drop it with DROP INDEX CONCURRENTLY IF EXISTS {NonTransactional}.",
            LockMode.AccessExclusive);
    }

    private static void Reindex(StatementCheck check, Reindex reindex)
    {
        if (reindex.Name is { } name && (check.IsNew(name) || (check.Model.Index(name) is { } index && check.IsNew(index.Table))))
            return;
        var fix = check.ServerBefore(12)
            ? "Before PostgreSQL 12 there is no REINDEX CONCURRENTLY: build a replacement with CREATE INDEX CONCURRENTLY, then DROP INDEX CONCURRENTLY the old one and rename the new one."
            : $"Use REINDEX {reindex.Target} CONCURRENTLY {NonTransactional}.";
        check.Report(
            LintRules.ReindexWithoutConcurrently,
            $"REINDEX {reindex.Target} {reindex.Name} rebuilds indexes under a SHARE lock on the table and an ACCESS EXCLUSIVE lock on each index: writes, and reads that use the index, wait until it ends.",
            fix,
            LockMode.Share,
            $"rebuilds the indexes of {reindex.Name}");
    }
}
