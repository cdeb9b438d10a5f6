using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>A backfill as it ran in one run of the tool: how many runs of its statements, how many rows they changed.</summary>
/// <param name="Revision">The revision the backfill belongs to.</param>
/// <param name="FirstStatement">The 1-based statement it started at: 1, or where an earlier run stopped.</param>
/// <param name="Statements">How many statements the backfill section holds.</param>
/// <param name="Runs">Runs that committed (in a dry run: that ran and were rolled back).</param>
/// <param name="Rows">Rows changed by those runs.</param>
/// <param name="Elapsed">Time spent, pauses included.</param>
/// <param name="Finished">Every statement ran until a run changed no row.</param>
public sealed record BackfillResult(
    string Revision, int FirstStatement, int Statements, long Runs, long Rows, TimeSpan Elapsed, bool Finished)
{
    /// <summary>Resumed where an earlier run of the tool left it, rather than started after its upgrade.</summary>
    public bool Resumed { get; init; }

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>Where a running backfill stands, after each of its runs.</summary>
/// <param name="Revision">The revision the backfill belongs to.</param>
/// <param name="Statement">The 1-based statement running.</param>
/// <param name="Statements">How many statements the backfill holds.</param>
/// <param name="Runs">Runs of this backfill so far.</param>
/// <param name="Rows">Rows changed so far.</param>
/// <param name="Elapsed">Time since the backfill started.</param>
/// <param name="StatementDone">The last run changed no row: this statement is finished.</param>
public sealed record BackfillProgress(
    string Revision, int Statement, int Statements, long Runs, long Rows, TimeSpan Elapsed, bool StatementDone)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

/// <summary>A backfill an earlier run of the tool left unfinished: its revision and the statement to run next.</summary>
public sealed record PendingBackfill(Revision Revision, int NextStatement)
{
    /// <summary>The backfilling revisions of a history, parents first (a child's backfill may need its parents' done).</summary>
    public static IReadOnlyList<PendingBackfill> Of(RevisionGraph graph, IEnumerable<AppliedRevision> history)
    {
        var next = history.Where(r => r.IsBackfilling && graph.Contains(r.Revision))
            .ToDictionary(r => r.Revision, r => r.BackfillStatement!.Value, StringComparer.Ordinal);
        return [.. graph.TopologicalOrder.Where(r => next.ContainsKey(r.Id)).Select(r => new PendingBackfill(r, next[r.Id]))];
    }
}

/// <summary>An unfinished backfill as <c>status</c> shows it.</summary>
/// <param name="Revision">The backfilling revision.</param>
/// <param name="NextStatement">The 1-based statement the next run starts at.</param>
/// <param name="Statements">How many statements its file's backfill section holds (0 when the file is missing).</param>
public sealed record BackfillStatus(string Revision, int NextStatement, int Statements);
