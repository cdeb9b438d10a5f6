using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>
/// Appends rows to the audit log of one session, under one run's deploy id and actor. A row that
/// cannot be written (say, the connection is gone) is reported to <paramref name="problem"/>: it is
/// a notice, never a second error on top of the run's own.
/// </summary>
public sealed class AuditWriter(IDatabaseSession session, RunOptions options, TimeProvider time, Action<string> problem)
{
    public async Task WriteAsync(string operation, DateTimeOffset started, string outcome, IEnumerable<string> revisions, string? detail)
    {
        var entry = new AuditEntry(
            options.DeployId,
            operation,
            options.Actor.User,
            options.Actor.Host,
            options.Actor.ToolVersion,
            started,
            time.GetUtcNow(),
            outcome,
            string.Join(",", revisions),
            detail);
        try
        {
            await session.History.AppendAuditAsync(entry, CancellationToken.None);
        }
        catch (Exception ex) when (ex is StatementFailedException or MigrateException or InvalidOperationException or IOException)
        {
            problem($"The audit log could not be written: {ex.Message}");
        }
    }

    /// <inheritdoc cref="RecordingFailureAsync{T}"/>
    public Task RecordingFailureAsync(
        string operation, DateTimeOffset started, IEnumerable<string> revisions, Func<Task> act, Func<Exception, string>? failureDetail = null) =>
        RecordingFailureAsync(
            operation,
            started,
            revisions,
            async () =>
            {
                await act();
                return true;
            },
            failureDetail);

    /// <summary>
    /// Runs <paramref name="act"/>; when it fails or is cancelled, records a failed <paramref name="operation"/>
    /// over <paramref name="revisions"/> (detail: the error, or <paramref name="failureDetail"/> of it) and rethrows.
    /// </summary>
    public async Task<T> RecordingFailureAsync<T>(
        string operation,
        DateTimeOffset started,
        IEnumerable<string> revisions,
        Func<Task<T>> act,
        Func<Exception, string>? failureDetail = null)
    {
        try
        {
            return await act();
        }
        catch (Exception ex) when (ex is MigrateException or OperationCanceledException)
        {
            await WriteAsync(operation, started, AuditOutcomes.Failed, revisions, failureDetail?.Invoke(ex) ?? ex.Message);
            throw;
        }
    }
}
