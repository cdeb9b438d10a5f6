using System.Data.Common;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// Appends rows to the audit log (SPEC §7) where they survive the run that writes them. A row goes
/// through the run's own session first; when that fails (the connection was terminated, the server
/// restarted, the session is unusable) it is written again on a second, short-lived connection, so a
/// run that lost its connection still leaves its failed row behind. Rows are only ever inserted.
/// </summary>
/// <param name="environment">The environment every row is written for (SPEC §14); null without one.</param>
public sealed class AuditWriter(IDatabaseProvider provider, DatabaseTarget target, SessionOptions sessionOptions, TimeProvider time, Actor actor, string? environment = null)
{
    /// <summary>
    /// Appends one row, finished now. Never throws: returns null once the row is written, or a sentence
    /// saying why it could not be, for the caller's notices and reports.
    /// </summary>
    /// <param name="session">The run's session; null when it has none (or none left).</param>
    public async Task<string?> AppendAsync(
        IDatabaseSession? session, string deployId, string operation, DateTimeOffset startedAt, string outcome, IEnumerable<string> revisions, string? detail)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        var entry = new AuditEntry(
            deployId, operation, actor.User, actor.Host, actor.ToolVersion, startedAt, time.GetUtcNow(), outcome, string.Join(",", revisions), detail, environment);
        if (session is not null && await TryAppendAsync(session, entry) is null)
        {
            return null;
        }

        // Cancellation does not apply: the record of a cancelled run is written all the same.
        try
        {
            var retries = Math.Min(sessionOptions.ConnectRetries, 1);
            await using var fresh = await provider.OpenSessionAsync(target, sessionOptions with { ConnectRetries = retries }, CancellationToken.None);
            return await TryAppendAsync(fresh, entry) is { } problem ? $"The audit log could not be written: {problem}" : null;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            return $"The audit log could not be written: {ex.Message}";
        }
    }

    private static async Task<string?> TryAppendAsync(IDatabaseSession session, AuditEntry entry)
    {
        try
        {
            await session.History.AppendAuditAsync(entry, CancellationToken.None);
            return null;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            return ex.Message;
        }
    }

    private static bool IsDatabaseFailure(Exception ex) =>
        ex is StatementFailedException or MigrateException or DbException or InvalidOperationException or IOException or TimeoutException;
}
