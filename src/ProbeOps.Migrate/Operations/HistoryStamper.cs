using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>Records revisions as applied without running their SQL: <c>stamp</c>, and deploy's stamp of an unversioned database.</summary>
public static class HistoryStamper
{
    /// <summary>
    /// The history rows of <paramref name="stampSet"/>, parents first, as applied at <paramref name="now"/>; each file is read
    /// from its content first, so a checksum recorded never comes from the stat cache alone.
    /// </summary>
    public static IReadOnlyList<AppliedRevision> RowsFor(RevisionGraph graph, IReadOnlySet<string> stampSet, DateTimeOffset now, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var stamped = graph.TopologicalOrder.Where(r => stampSet.Contains(r.Id)).ToList();
        foreach (var revision in stamped)
        {
            revision.File?.ReadSections();
        }

        return [.. stamped.Select(r => MigrationRunner.ToHistoryRow(r, now, 0, options))];
    }

    /// <summary>
    /// Writes <paramref name="rows"/> in one transaction, creating the history tables when missing:
    /// in place of the whole history (<paramref name="replace"/>), or added to it. A failure rolls
    /// back and throws (exit 4) with the message <paramref name="failure"/> makes of the database's error.
    /// </summary>
    public static async Task WriteAsync(
        IDatabaseSession session,
        IReadOnlyList<AppliedRevision> rows,
        bool replace,
        Func<string, string> failure,
        CancellationToken cancellationToken)
    {
        try
        {
            await session.Executor.BeginTransactionAsync(cancellationToken);
            await session.History.EnsureCreatedAsync(cancellationToken);
            if (replace)
            {
                await session.History.ReplaceAllAsync(rows, cancellationToken);
            }
            else
            {
                await session.History.RecordAppliedAsync(rows, cancellationToken);
            }

            await session.Executor.CommitAsync(cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
            throw new MigrateException(FailureKind.MigrationFailed, failure(ex.Message), ex);
        }
    }
}
