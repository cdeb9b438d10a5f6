using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// How many locks a replay in one transaction takes, and how to cut it into transactions that fit the
/// server's lock table. A transaction holds an exclusive lock on every relation it creates until it
/// ends: a table with a primary key is four (the table, its TOAST table and TOAST index, the key's
/// index). The estimate reads the statements' words and errs high; what it cannot see (a partition's
/// copies of its parent's indexes, objects a DO block creates) is caught when the server refuses.
/// </summary>
internal static class ReplayLocks
{
    /// <summary>Locks a transaction takes besides the migrations' own: the history table, its index and sequence.</summary>
    private const int HistoryLocks = 8;

    /// <summary>Each of these words in a statement creates (or locks) one more relation: an index, a sequence, a referenced table.</summary>
    private static readonly string[] ExtraRelations = ["PRIMARY KEY", "UNIQUE", "EXCLUDE", "SERIAL", "IDENTITY", "REFERENCES"];

    public static long Estimate(Revision revision) =>
        revision.File?.Upgrade.Statements.Sum(s => (long)Estimate(s.Text)) ?? 0;

    /// <summary>The locks of one transaction that applies <paramref name="steps"/> and records them in the history.</summary>
    public static long Estimate(IEnumerable<Revision> steps) => steps.Sum(Estimate) + HistoryLocks;

    /// <summary>One statement: one lock, three for a new table or materialized view (with TOAST), one more per extra relation.</summary>
    public static int Estimate(string statement)
    {
        var text = statement.ToUpperInvariant();
        var locks = text.Contains("CREATE", StringComparison.Ordinal) && (text.Contains("TABLE", StringComparison.Ordinal) || text.Contains("MATERIALIZED", StringComparison.Ordinal)) ? 3 : 1;
        foreach (var word in ExtraRelations)
        {
            for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
            {
                locks++;
            }
        }

        return locks;
    }

    /// <summary>
    /// <paramref name="steps"/> in consecutive runs, each estimated within half of <paramref name="table"/> (the other half
    /// left for other sessions); one run when the server has no lock table. A migration too big alone is a run of its own.
    /// </summary>
    public static List<List<Revision>> Chunks(List<Revision> steps, LockTableSize? table, out long total)
    {
        var estimates = steps.Select(Estimate).ToList();
        total = Estimate(steps);
        if (table is null || total <= table.Capacity / 2)
        {
            return [steps];
        }

        var budget = table.Capacity / 2 - HistoryLocks;
        var chunks = new List<List<Revision>> { new() };
        var used = 0L;
        for (var i = 0; i < steps.Count; i++)
        {
            if (chunks[^1].Count > 0 && used + estimates[i] > budget)
            {
                chunks.Add([]);
                used = 0;
            }

            chunks[^1].Add(steps[i]);
            used += estimates[i];
        }

        return chunks;
    }

    /// <summary>The notice for a replay cut into <paramref name="chunks"/> transactions.</summary>
    public static string Notice(int chunks, long total, LockTableSize table) =>
        $"The migrations were replayed in {chunks} transactions: in one they would take about {total} locks, more than half of the server's lock table " +
        $"({table}). To replay them in one transaction, as a deploy in one transaction would apply them, set max_locks_per_transaction to at least " +
        $"{table.MaxLocksPerTransactionFor(total)} and restart the server.";

    /// <summary>Why a transaction of about <paramref name="total"/> locks ran out of lock table, and what to set.</summary>
    public static string TooSmall(long total, LockTableSize? table) =>
        $"the server's lock table is too small for about {total} locks in one transaction (out of shared memory)" +
        (table is null
            ? ": raise max_locks_per_transaction and restart the server"
            : $": {table}; set max_locks_per_transaction to at least {table.MaxLocksPerTransactionFor(total)} and restart the server");
}
