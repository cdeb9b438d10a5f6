using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// A migration statement failed and its transaction was rolled back (exit 8). Carries where it
/// failed and what the server said, so the CLI can point at the exact line.
/// </summary>
public sealed class MigrationFailedException : MigrateException
{
    public MigrationFailedException(string message, Exception inner)
        : base(FailureKind.MigrationFailed, message, inner)
    {
    }

    public required string Revision { get; init; }

    /// <summary>The id of the run, as its audit row records it.</summary>
    public string? DeployId { get; init; }

    public required MigrationDirection Direction { get; init; }

    public string? File { get; init; }

    /// <summary>The file line the server's error position points at (or where the statement starts).</summary>
    public int? Line { get; init; }

    public required string Statement { get; init; }

    public string? SqlState { get; init; }

    /// <summary>1-based character position inside <see cref="Statement"/>, when the server gave one.</summary>
    public int? Position { get; init; }

    public string? ServerMessage { get; init; }

    public string? Hint { get; init; }

    /// <summary>Revisions that were committed before the failure (per-migration mode, or non-transactional units).</summary>
    public IReadOnlyList<string> Committed { get; init; } = [];

    /// <summary>The backfills this run finished or began before the failure, with the runs and rows they committed.</summary>
    public IReadOnlyList<BackfillResult> Backfills { get; init; } = [];

    /// <summary>A <c>transaction:false</c> section that stopped part-way, leaving some of its statements committed; else null.</summary>
    public PartialSection? Partial { get; init; }
}
