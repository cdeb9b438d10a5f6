using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>
/// The audit rows of one run: written by the <see cref="AuditWriter"/> through the run's session (or a
/// second connection when that one is gone), under the run's deploy id. A row that cannot be written
/// at all is told to <paramref name="problem"/>: a notice, never a second error on top of the run's own.
/// </summary>
public sealed class RunAudit(AuditWriter writer, IDatabaseSession session, string deployId, Action<string> problem)
{
    public async Task WriteAsync(string operation, DateTimeOffset started, string outcome, IEnumerable<string> revisions, string? detail)
    {
        if (await writer.AppendAsync(session, deployId, operation, started, outcome, revisions, detail) is { } failed)
        {
            problem(failed);
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
