using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
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

/// <summary>
/// A verb that can answer from a <see cref="FilesSnapshot"/> when the database stands exactly where the files are: every
/// revision applied with the checksum of its file, no backfill unfinished, no repeatable migration pending. Then no
/// migration file is read and no graph is built; in every other case the verb runs as usual (docs/decisions/0033-up-to-date-answer.md).
/// </summary>
public interface IUpToDateVerb<TResult> : IDatabaseVerb<TResult>
{
    /// <summary>Whether this run could be answered so (an upgrade to the heads can; a dry run or another target cannot).</summary>
    bool AnswersWhenUpToDate(FilesSnapshot files);

    /// <summary>The verb's result when the database is up to date, with the session open and the lock held when it asked for one.</summary>
    Task<TResult> UpToDateAsync(UpToDateScope scope, CancellationToken cancellationToken);
}

/// <summary>What a verb answering an up-to-date database works with.</summary>
/// <param name="Applied">The history rows when they were read (a verb without the lock); empty when only their digest was.</param>
public sealed record UpToDateScope(MigrationContext Context, IDatabaseSession Session, FilesSnapshot Files, RunOptions Options, IReadOnlyList<AppliedRevision> Applied)
{
    /// <summary>The masked database, safe to show.</summary>
    public string Database => Session.Target.Display;
}
