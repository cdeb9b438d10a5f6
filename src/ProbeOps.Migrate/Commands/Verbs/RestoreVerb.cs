using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>restore</c> restored, and whether its schema is the backup's.</summary>
public sealed record RestoreResult(string Database, string File, IReadOnlyList<string> HeadsAfter, RestoreSchemaCheck Schema);

/// <summary>
/// <c>restore</c> (SPEC §5): under the migration lock, replaces the database with a backup, all or nothing,
/// keeping every audit row written before; then proves the restored schema is the backup's (exit 9 when
/// it is not) and records the restore in the audit log. Requires the database name as confirmation,
/// before connecting.
/// </summary>
public sealed class RestoreVerb(string file, string? confirmDatabaseName) : IDatabaseVerb<RestoreResult>
{
    private readonly string _path = Path.GetFullPath(file);
    private SchemaSnapshot? _recorded;

    public OperationNeeds Needs => new(
        Graph: false,
        Lock: true,
        History: HistoryNeed.None,
        BeforeConnect: context =>
        {
            context.RequireConfirmation(confirmDatabaseName);

            // Read before anything changes: an unreadable record refuses the restore rather than leaving it unchecked.
            _recorded = File.Exists(_path) ? BackupSchemaFile.Read(_path) : null;
        },
        BeforeLock: (context, session, ct) => context.CompatibleBackupToolAsync(session, ct));

    public async Task<RestoreResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var started = context.Time.GetUtcNow();
        var service = new BackupService(context.BackupTool(), context.Time);
        await scope.Audit.RecordingFailureAsync(
            AuditOperations.Restore, started, [], () => service.RestoreAsync(scope.Session, _path, cancellationToken), ex => $"{_path}: {ex.Message}");

        // The history and schema were replaced under this session: read them on a fresh one.
        await using var after = await context.OpenSessionAsync(cancellationToken);
        var check = await RestoreVerifier.CheckAsync(after, _recorded, _path, cancellationToken);
        var applied = await after.History.ReadAppliedAsync(cancellationToken);
        var outcome = check.Differs ? AuditOutcomes.Failed : AuditOutcomes.Succeeded;
        var audit = context.AuditFor(after, scope.Options.DeployId, context.Observer.Notice);
        await audit.WriteAsync(AuditOperations.Restore, started, outcome, applied.Select(a => a.Revision), $"restored {_path}; {check.Summary}");
        if (check.Differs)
        {
            throw RestoreVerifier.Mismatch(check, _path);
        }

        await SchemaRecorder.RecordAsync(scope, after, cancellationToken);

        return new RestoreResult(after.Target.Display, _path, HistoryCheck.HeadsOfHistory(applied), check);
    }
}
