using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>A verified backup of the session's database with its schema recorded beside it: <c>backup</c>, <c>reset</c> and deploy's backup stage.</summary>
public static class BackupTaker
{
    /// <summary>
    /// Into the backup directory (keeping the newest <paramref name="keep"/>), or into exactly <paramref name="output"/>.
    /// The schema is read on <paramref name="session"/> while the dump runs on a connection of its own; it is
    /// written beside the backup once the backup is verified.
    /// </summary>
    public static async Task<BackupInfo> TakeAsync(
        MigrationContext context, IDatabaseSession session, string revisionLabel, int? keep, string? output, CancellationToken cancellationToken)
    {
        var service = new BackupService(context.BackupTool(), context.Time, context.Observer.BackupProgress);
        var schema = BackupSchemaFile.ReadAsync(session, cancellationToken);
        BackupInfo info;
        try
        {
            info = output is null
                ? await service.CreateAsync(context.Target, context.Settings.BackupDirectory, revisionLabel, keep, cancellationToken)
                : await service.CreateAtAsync(context.Target, output, cancellationToken);
        }
        catch
        {
            // The session is the caller's again only once the read is over; the backup's failure is the one to report.
            await Task.WhenAny(schema);
            throw;
        }

        if (await schema is { } snapshot)
        {
            BackupSchemaFile.Write(snapshot, info.Path);
        }

        return info;
    }
}
