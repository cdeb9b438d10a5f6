namespace ProbeOps.Migrate.Providers;

/// <summary>The history table and the audit log of one database (SPEC §7).</summary>
public interface IHistoryStore
{
    /// <summary>Creates the tables if missing. Runs in the current transaction, if one is open.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken);

    /// <summary>Every applied revision, oldest first; empty when the table does not exist yet.</summary>
    Task<IReadOnlyList<AppliedRevision>> ReadAppliedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many revisions are applied, their <see cref="Files.RevisionDigest"/>, and whether a backfill is unfinished: what
    /// tells a command that the database stands exactly where the files are, without every row. This default reads the rows;
    /// a server computes it on its side where it can.
    /// </summary>
    async Task<HistoryDigest> ReadDigestAsync(CancellationToken cancellationToken) =>
        HistoryDigest.Of(await ReadAppliedAsync(cancellationToken));

    /// <summary>Records rows in one round trip, in the current transaction if one is open.</summary>
    Task RecordAppliedAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Records the backfill statement (1-based) a revision runs next, or (null) that its backfill has finished, in
    /// the current transaction if one is open.
    /// </summary>
    Task SetBackfillStatementAsync(string revision, int? next, CancellationToken cancellationToken);

    /// <summary>Removes the rows of reverted revisions, in the current transaction if one is open.</summary>
    Task RemoveAppliedAsync(IReadOnlyList<string> revisions, CancellationToken cancellationToken);

    /// <summary>Replaces the whole history with <paramref name="rows"/> (stamp).</summary>
    Task ReplaceAllAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken);

    /// <summary>Every application of a repeatable migration, oldest first; empty when its table does not exist yet.</summary>
    Task<IReadOnlyList<AppliedRepeatable>> ReadRepeatablesAsync(CancellationToken cancellationToken);

    /// <summary>Records applications of repeatable migrations (the table created if missing), in the current transaction.</summary>
    Task RecordRepeatablesAsync(IReadOnlyList<AppliedRepeatable> rows, CancellationToken cancellationToken);

    /// <summary>Appends to the audit log (created if missing).</summary>
    Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Every audit row, oldest first; empty when the table does not exist yet.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken);
}
