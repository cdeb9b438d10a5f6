using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>
/// <c>reset</c>: backs up, then drops every object the migrations manage and the history, keeping
/// the audit log. Refuses unless the confirmation is the database's name, before connecting. The
/// backup is taken under the lock and named in the audit row; <paramref name="noBackup"/> skips it.
/// A protected environment refuses it outright, before connecting (SPEC §14).
/// </summary>
public sealed class ResetVerb(string? confirmDatabaseName, bool noBackup) : IDatabaseVerb<ResetResult>
{
    public OperationNeeds Needs { get; } = new(Lock: true, BeforeConnect: context =>
    {
        ProtectedEnvironment.RefuseIrreversible(context.Settings, "reset");
        context.RequireConfirmation(confirmDatabaseName);
    });

    public async Task<ResetResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var headsBefore = scope.AppliedHeads();
        var objects = await scope.Session.Inspector.ListUserObjectsAsync(cancellationToken);
        var started = context.Time.GetUtcNow();
        string? backupFile = null;
        if (!noBackup)
        {
            await context.CompatibleBackupToolAsync(scope.Session, cancellationToken);
            var info = await BackupTaker.TakeAsync(context, scope.Session, BackupService.RevisionLabel(headsBefore), keep: null, output: null, cancellationToken);
            backupFile = info.Path;
        }

        var revisions = scope.Applied.Select(a => a.Revision).ToList();
        await scope.Audit.RecordingFailureAsync(AuditOperations.Reset, started, revisions, () => DropAllAsync(scope, cancellationToken), ex => ex.InnerException?.Message ?? ex.Message);
        await scope.Audit.WriteAsync(AuditOperations.Reset, started, AuditOutcomes.Succeeded, revisions, backupFile is null ? null : $"backup {backupFile}");
        return new ResetResult(scope.Database, objects, headsBefore, backupFile);
    }

    private static async Task DropAllAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        try
        {
            await scope.Session.Cleaner.DropAllAsync(cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            throw new MigrateException(FailureKind.MigrationFailed, $"Reset failed and was rolled back: {ex.Message}.", ex);
        }
    }
}
