using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>A verified backup of the session's database with its schema recorded beside it: <c>backup</c>, <c>reset</c> and deploy's backup stage.</summary>
public static class BackupTaker
{
    /// <summary>Into the backup directory (keeping the newest <paramref name="keep"/>), or into exactly <paramref name="output"/>.</summary>
    public static async Task<BackupInfo> TakeAsync(
        MigrationContext context, IDatabaseSession session, string revisionLabel, int? keep, string? output, CancellationToken cancellationToken)
    {
        var service = new BackupService(context.BackupTool(), context.Time, context.Observer.BackupProgress);
        var info = output is null
            ? await service.CreateAsync(context.Target, context.Settings.BackupDirectory, revisionLabel, keep, cancellationToken)
            : await service.CreateAtAsync(context.Target, output, cancellationToken);
        await BackupSchemaFile.WriteAsync(session, info.Path, cancellationToken);
        return info;
    }
}
