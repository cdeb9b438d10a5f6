using System.Globalization;

namespace ProbeOps.Migrate.Execution;

/// <summary>Backfills in words, the same in the CLI output, the audit log and the deployment reports.</summary>
public static class BackfillText
{
    /// <summary><c>20250517_x: 61 runs, 300,000 rows in 12.3 s (24,390 rows/s)</c>, with how it ended when it did not finish.</summary>
    public static string Summary(BackfillResult backfill)
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{backfill.Revision}: {Plural(backfill.Runs, "run")}, {Plural(backfill.Rows, "row")} in {backfill.Elapsed.TotalSeconds:0.0} s ({backfill.RowsPerSecond:N0} rows/s)");
        var from = backfill.Resumed ? $"; resumed at statement {backfill.FirstStatement} of {backfill.Statements}" : "";
        return text + from + (backfill.Finished ? "" : "; not finished");
    }

    /// <summary>What a downgrade says of a revision whose backfill it leaves unfinished.</summary>
    public static string Abandoned(BackfillStatus status) =>
        $"{status.Revision}'s backfill had not finished (statement {status.NextStatement} of {status.Statements} was next): " +
        "its downgrade section ran over the rows the backfill had changed so far, and the rest of the backfill will not run";

    /// <summary>The audit row's detail for a run's backfills, or null when it ran none.</summary>
    public static string? AuditDetail(IReadOnlyList<BackfillResult> backfills, IReadOnlyList<BackfillStatus> abandoned)
    {
        var parts = backfills.Select(b => "backfill " + Summary(b)).Concat(abandoned.Select(Abandoned)).ToList();
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    public static string Plural(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
