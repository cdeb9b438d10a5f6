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
/// before connecting. While the connection is made, the client programs are asked for their versions and
/// the file is checked against its checksum; both are awaited before anything is restored.
/// </summary>
public sealed class RestoreVerb(string file, string? confirmDatabaseName) : IDatabaseVerb<RestoreResult>
{
    private readonly string _path = Path.GetFullPath(file);
    private SchemaSnapshot? _recorded;
    private Task? _fileChecked;

    public OperationNeeds Needs => new(
        Graph: false,
        Lock: true,
        History: HistoryNeed.None,
        BeforeConnect: context =>
        {
            context.RequireConfirmation(confirmDatabaseName);

            // Read before anything changes: an unreadable record refuses the restore rather than leaving it unchecked.
            _recorded = File.Exists(_path) ? BackupSchemaFile.Read(_path) : null;
            context.BackupTool().StartClientProbe();
            _fileChecked = Task.Run(() => BackupService.CheckFileAsync(_path, CancellationToken.None));
        },
        BeforeLock: (context, session, ct) => context.CompatibleBackupToolAsync(session, ct));

    public async Task<RestoreResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var session = scope.Session;
        var started = context.Time.GetUtcNow();
        var service = new BackupService(context.BackupTool(), context.Time);
        await scope.Audit.RecordingFailureAsync(
            AuditOperations.Restore, started, [], () => service.RestoreAsync(session, _path, _fileChecked, cancellationToken), ex => $"{_path}: {ex.Message}");

        // The restore ran on a connection of its own (psql), so this session, still holding the lock, reads what it left.
        var applied = await session.History.ReadAppliedAsync(cancellationToken);
        var live = session.SchemaReader is { } reader ? (await reader.ReadAsync(new SchemaReadOptions(IncludePrivileges: true), cancellationToken)).Schema : null;
        var check = RestoreVerifier.Check(session, _recorded, _path, live);
        var outcome = check.Differs ? AuditOutcomes.Failed : AuditOutcomes.Succeeded;
        await scope.Audit.WriteAsync(AuditOperations.Restore, started, outcome, applied.Select(a => a.Revision), $"restored {_path}; {check.Summary}");
        if (check.Differs)
        {
            throw RestoreVerifier.Mismatch(check, _path);
        }

        if (live is not null)
        {
            await SchemaRecorder.RecordAsync(scope, applied, live, cancellationToken);
        }

        return new RestoreResult(session.Target.Display, _path, HistoryCheck.HeadsOfHistory(applied), check);
    }
}
