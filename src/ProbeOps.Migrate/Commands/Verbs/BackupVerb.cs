using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>backup</c> wrote.</summary>
public sealed record BackupResult(string Database, BackupInfo Backup);

/// <summary>
/// <c>backup</c>: takes and verifies a backup into the backup directory, or into <paramref name="output"/>.
/// Checks the client programs first (exit 5 when they cannot handle the server); they are asked for their
/// versions while the connection is made.
/// </summary>
public sealed class BackupVerb(string? output, int? keep) : IDatabaseVerb<BackupResult>
{
    public OperationNeeds Needs { get; } = new(
        Graph: false,
        BeforeConnect: context => context.BackupTool().StartClientProbe(),
        BeforeLock: (context, session, ct) => context.CompatibleBackupToolAsync(session, ct));

    public async Task<BackupResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var label = scope.Applied.Count > 0 ? Label(context, scope.Applied) : "base";
        var info = await BackupTaker.TakeAsync(context, scope.Session, label, keep, output is null ? null : Path.GetFullPath(output), cancellationToken);
        return new BackupResult(scope.Database, info);
    }

    /// <summary>The backup label of a history: its heads as the files see them, or as recorded when the files are not valid.</summary>
    private static string Label(MigrationContext context, IReadOnlyList<AppliedRevision> applied)
    {
        try
        {
            var graph = context.Graphs.Load();
            return BackupService.RevisionLabel(HistoryCheck.Compare(graph, applied).AppliedHeads(graph));
        }
        catch (MigrateException)
        {
            return BackupService.RevisionLabel(HistoryCheck.HeadsOfHistory(applied));
        }
    }
}
