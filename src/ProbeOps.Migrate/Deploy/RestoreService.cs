using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// <c>restore</c> (SPEC §5): under the migration lock, replaces the database with a backup, all or nothing,
/// keeping every audit row written before; then proves the restored schema is the backup's and records the
/// restore in the audit log.
/// </summary>
public sealed class RestoreService(MigrateSettings settings, ProviderRegistry providers, TimeProvider time, Actor actor, IMigrationObserver observer)
{
    /// <summary>Restores <paramref name="file"/>; throws (exit 9) when the restored schema is not the backup's.</summary>
    public async Task<RestoreResult> RunAsync(string file, string? confirmDatabaseName, CancellationToken cancellationToken)
    {
        var (provider, target) = providers.Resolve(settings.RequireDatabase());
        MigrationCommands.RequireConfirmation(confirmDatabaseName, target);
        var path = Path.GetFullPath(file);

        // Read before anything changes: an unreadable record refuses the restore rather than leaving it unchecked.
        var recorded = File.Exists(path) ? BackupSchemaFile.Read(path) : null;
        var started = time.GetUtcNow();
        var deployId = ToolInfo.NewDeployId(time);
        var audit = AuditWriter.For(settings, providers, time, actor);
        await using var session = await provider.OpenSessionAsync(target, settings.ToSessionOptions(), cancellationToken);
        var tool = provider.BackupTool(new ClientToolOptions(settings.PgBinDirectory));
        await MigrationCommands.RequireCompatibleClientAsync(tool, session, cancellationToken);
        await using var held = await session.Lock.AcquireAsync(settings.WaitForLock, cancellationToken);
        try
        {
            await new BackupService(tool, time).RestoreAsync(session, path, cancellationToken);
        }
        catch (Exception ex) when (ex is MigrateException or OperationCanceledException)
        {
            Notice(await audit.AppendAsync(session, deployId, AuditOperations.Restore, started, AuditOutcomes.Failed, [], $"{path}: {ex.Message}"));
            throw;
        }

        // The history and schema were replaced under this session: read them on a fresh one.
        await using var after = await provider.OpenSessionAsync(target, settings.ToSessionOptions(), cancellationToken);
        var check = await RestoreVerifier.CheckAsync(after, recorded, path, cancellationToken);
        var applied = await after.History.ReadAppliedAsync(cancellationToken);
        var outcome = check.Differs ? AuditOutcomes.Failed : AuditOutcomes.Succeeded;
        Notice(await audit.AppendAsync(after, deployId, AuditOperations.Restore, started, outcome, applied.Select(a => a.Revision), $"restored {path}; {check.Summary}"));
        if (check.Differs)
        {
            throw RestoreVerifier.Mismatch(check, path);
        }

        return new RestoreResult(after.Target.Display, path, MigrationCommands.HeadsOfHistory(applied), check);
    }

    private void Notice(string? problem)
    {
        if (problem is not null)
        {
            observer.Notice(problem);
        }
    }
}
