using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>How much of the history a verb needs read before its body runs.</summary>
public enum HistoryNeed
{
    /// <summary>Not read.</summary>
    None,

    /// <summary>Read and compared with the files; differences are the body's to report.</summary>
    Read,

    /// <summary>Read, and the run refused (exit 3) when it names unknown revisions or edited files.</summary>
    Consistent,
}

/// <summary>What <see cref="DatabaseOperation"/> prepares before a verb's body runs.</summary>
/// <param name="Graph">Load the migrations (while the connection is made).</param>
/// <param name="Lock">Hold the migration lock for the body; the history is read after it is taken.</param>
/// <param name="History">How the history is read and checked.</param>
/// <param name="BeforeConnect">
/// A check on the target that must pass before any connection is made (a confirmation). The files
/// are then loaded first and the connection made after: nothing overlaps.
/// </param>
/// <param name="BeforeLock">A check on the open session before the lock is waited for.</param>
/// <param name="AdoptAlembic">With no history, record what an <c>alembic_version</c> table names as applied first (SPEC §13).</param>
public sealed record OperationNeeds(
    bool Graph = true,
    bool Lock = false,
    HistoryNeed History = HistoryNeed.Read,
    Action<MigrationContext>? BeforeConnect = null,
    Func<MigrationContext, IDatabaseSession, CancellationToken, Task>? BeforeLock = null,
    bool AdoptAlembic = false);

/// <summary>One database verb: what it needs prepared, and its body.</summary>
public interface IDatabaseVerb<TResult>
{
    OperationNeeds Needs { get; }

    Task<TResult> RunAsync(OperationScope scope, CancellationToken cancellationToken);
}
