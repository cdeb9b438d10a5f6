using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>restore</c> restored.</summary>
public sealed record RestoreResult(string Database, string File, IReadOnlyList<string> HeadsAfter);

/// <summary>
/// <c>restore</c>: restores a backup over the database under the lock, after checking its checksum;
/// requires the database name as confirmation, before connecting. The restore replaces the history
/// tables too, so the result is read, and the restore recorded, on a fresh session afterwards.
/// </summary>
public sealed class RestoreVerb(string file, string? confirmDatabaseName) : IDatabaseVerb<RestoreVerb.Restored>
{
    private readonly string _path = Path.GetFullPath(file);

    /// <summary>When the restore started, and the run it belongs to.</summary>
    public sealed record Restored(DateTimeOffset Started, RunOptions Options);

    public OperationNeeds Needs { get; } = new(
        Graph: false,
        Lock: true,
        History: HistoryNeed.None,
        BeforeConnect: context => context.RequireConfirmation(confirmDatabaseName),
        BeforeLock: (context, session, ct) => context.CompatibleBackupToolAsync(session, ct));

    /// <summary>The whole restore: the locked part, then the record of it.</summary>
    public async Task<RestoreResult> RunAsync(DatabaseOperation operation, CancellationToken cancellationToken)
    {
        var restored = await operation.RunLockedAsync(this, cancellationToken);
        var context = operation.Context;
        await using var after = await context.OpenSessionAsync(cancellationToken);
        var applied = await after.History.ReadAppliedAsync(cancellationToken);
        var audit = new AuditWriter(after, restored.Options, context.Time, context.Observer.Notice);
        await audit.WriteAsync(AuditOperations.Restore, restored.Started, AuditOutcomes.Succeeded, applied.Select(a => a.Revision), $"restored {_path}");
        return new RestoreResult(after.Target.Display, _path, HistoryCheck.HeadsOfHistory(applied));
    }

    public async Task<Restored> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var started = context.Time.GetUtcNow();
        var service = new BackupService(context.BackupTool(), context.Time);
        await scope.Audit.RecordingFailureAsync(
            AuditOperations.Restore,
            started,
            [],
            () => service.RestoreAsync(context.Target, _path, cancellationToken),
            ex => $"{_path}: {ex.Message}");
        return new Restored(started, scope.Options);
    }
}
