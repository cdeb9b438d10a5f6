using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>The error of a failed statement: where it failed (file and line), what the server said, what was committed.</summary>
internal static class RunFailure
{
    /// <param name="partial">For a <c>transaction:false</c> section, how far it got: what the failure left committed.</param>
    public static MigrationFailedException Create(
        MigrationDirection direction,
        RunPosition position,
        StatementFailedException ex,
        IReadOnlyList<string> rolledBack,
        PartialSection? partial,
        RunOptions options,
        IReadOnlyList<string> committed)
    {
        var statement = position.Statement;
        int? line = statement?.Line;
        if (statement is not null && ex.Position is int pos && pos > 0 && pos <= statement.Text.Length)
        {
            line = statement.Line + statement.Text.AsSpan(0, pos - 1).Count('\n');
        }

        var where = position.FileLabel is null ? position.Id ?? "history"
            : position.IsCode ? position.FileLabel
            : $"{position.FileLabel}:{line ?? position.FirstLine}";
        var state = ex.SqlState is null ? "" : $" (SQLSTATE {ex.SqlState})";
        var before = committed.Count > 0 ? $"already committed: {ShortList.Join(committed)}" : null;
        var outcome = options.DryRun || rolledBack.Count > 0
            ? "rolled back; " + (before ?? "nothing was applied")
            : partial is null ? before ?? "nothing else was applied"
            : partial.Describe() + (before is null ? "" : "; " + before) + (partial.ChangedSomething ? "; " + partial.Rerun() : "");
        var verb = direction == MigrationDirection.Upgrade ? "upgrade" : "downgrade";
        var message = position.Id is null
            ? $"Writing the history failed: {ex.Message}{state}; {outcome}."
            : $"{verb} of {position.Id} failed at {where}: {ex.Message}{state}; {outcome}.";
        return new MigrationFailedException(message, ex)
        {
            Revision = position.Id ?? "",
            DeployId = options.DeployId,
            Direction = direction,
            File = position.FilePath,
            Line = line,
            Statement = statement?.Text ?? "",
            SqlState = ex.SqlState,
            Position = ex.Position,
            ServerMessage = ex.Message,
            Hint = ex.Hint,
            Committed = [.. committed],
            Partial = partial is { ChangedSomething: true } ? partial : null,
        };
    }
}
