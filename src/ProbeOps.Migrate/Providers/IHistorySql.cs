using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The SQL that reads and writes the history and audit tables, generated as text with every
/// identifier and value quoted by the dialect. Pure, so it is tested as exact strings and
/// <c>upgrade --sql</c> prints what would really run.
/// </summary>
public interface IHistorySql
{
    /// <summary>Creates the schema (where there is one), the history table and the audit table if missing.</summary>
    IReadOnlyList<SqlStatement> CreateTables();

    /// <summary>One statement recording every row given.</summary>
    SqlStatement InsertApplied(IReadOnlyList<AppliedRevision> rows);

    /// <summary>One statement removing the rows of the given revisions.</summary>
    SqlStatement DeleteApplied(IReadOnlyList<string> revisions);

    /// <summary>Records the backfill statement a revision runs next, or (null) that its backfill has finished.</summary>
    SqlStatement SetBackfillStatement(string revision, int? next);

    /// <summary>Removes every history row (for <c>stamp</c>).</summary>
    SqlStatement DeleteAllApplied();

    /// <summary>Records <paramref name="checksum"/> as the applied checksum of <paramref name="revision"/> (<c>amend</c>).</summary>
    SqlStatement UpdateChecksum(string revision, string checksum);

    SqlStatement InsertAudit(AuditEntry entry);

    /// <summary>Creates the schema (where there is one) and the table of repeatable applications if missing.</summary>
    IReadOnlyList<SqlStatement> CreateRepeatableTable();

    /// <summary>One statement recording every application given.</summary>
    SqlStatement InsertRepeatables(IReadOnlyList<AppliedRepeatable> rows);

    SqlStatement BeginTransaction();

    SqlStatement Commit();
}
