using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>backup</c> wrote.</summary>
public sealed record BackupResult(string Database, BackupInfo Backup);

/// <summary>What <c>restore</c> restored, and whether its schema is the backup's.</summary>
public sealed record RestoreResult(string Database, string File, IReadOnlyList<string> HeadsAfter, RestoreSchemaCheck Schema);

public sealed partial class MigrationCommands
{
    /// <summary>The whole safe deploy (SPEC §6). Returns a report whatever happens; the logs are written already.</summary>
    public Task<DeployOutcome> DeployAsync(DeployRequest request, IDeployObserver? observer, CancellationToken cancellationToken) =>
        new DeployPipeline(_settings, _providers, _time, _actor, observer ?? NullDeployObserver.Instance).RunAsync(request, preflight: false, cancellationToken);

    /// <summary>The pre-deploy checks: files, connectivity, versions, history against files; changes nothing.</summary>
    public Task<DeployOutcome> PreflightAsync(DeployRequest request, IDeployObserver? observer, CancellationToken cancellationToken) =>
        new DeployPipeline(_settings, _providers, _time, _actor, observer ?? NullDeployObserver.Instance).RunAsync(request, preflight: true, cancellationToken);

    /// <summary>
    /// Takes and verifies a backup into the backup directory, or into <paramref name="output"/>.
    /// Checks the client programs first (exit 5 when they cannot handle the server).
    /// </summary>
    public async Task<BackupResult> BackupAsync(string? output, int? keep, CancellationToken cancellationToken)
    {
        var (provider, session) = await OpenSessionAsync(cancellationToken);
        await using (session)
        {
            var tool = provider.BackupTool(new ClientToolOptions(_settings.PgBinDirectory));
            await RequireCompatibleClientAsync(tool, session, cancellationToken);
            var label = "base";
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            if (applied.Count > 0)
            {
                label = BackupLabel(applied);
            }

            var service = new BackupService(tool, _time);
            var info = output is null
                ? await service.CreateAsync(session.Target, _settings.BackupDirectory, label, keep, cancellationToken)
                : await service.CreateAtAsync(session.Target, Path.GetFullPath(output), cancellationToken);
            await BackupSchemaFile.WriteAsync(session, info.Path, cancellationToken);
            return new BackupResult(session.Target.Display, info);
        }
    }

    /// <summary>
    /// Restores <paramref name="file"/> over the database after checking its checksum, keeping the audit log, and
    /// checks the restored schema against the one recorded beside the backup; requires the database name as confirmation.
    /// </summary>
    public Task<RestoreResult> RestoreAsync(string file, string? confirmDatabaseName, CancellationToken cancellationToken) =>
        new RestoreService(_settings, _providers, _time, _actor, _observer).RunAsync(file, confirmDatabaseName, cancellationToken);

    internal static async Task RequireCompatibleClientAsync(IBackupTool tool, IDatabaseSession session, CancellationToken cancellationToken)
    {
        var check = await tool.CheckClientAsync(session, cancellationToken);
        if (!check.IsCompatible)
        {
            throw new MigrateException(FailureKind.VersionMismatch, string.Join(" ", check.Problems));
        }
    }

    /// <summary>The backup label of a history: its heads as the files see them, or as recorded when the files are unknown.</summary>
    private string BackupLabel(IReadOnlyList<AppliedRevision> applied)
    {
        try
        {
            var graph = LoadGraph();
            return BackupService.RevisionLabel(AppliedHeads(graph, HistoryCheck.Compare(graph, applied)));
        }
        catch (MigrateException)
        {
            return BackupService.RevisionLabel(HeadsOfHistory(applied));
        }
    }

    internal static IReadOnlyList<string> HeadsOfHistory(IReadOnlyList<AppliedRevision> applied)
    {
        var parents = applied.SelectMany(a => a.Parents).ToHashSet(StringComparer.Ordinal);
        return [.. applied.Select(a => a.Revision).Where(r => !parents.Contains(r))];
    }
}

/// <summary>A deploy observer that hears nothing.</summary>
public sealed class NullDeployObserver : IDeployObserver
{
    public static readonly NullDeployObserver Instance = new();

    public void StageStarted(string stage)
    {
    }

    public void StageFinished(StageReport stage)
    {
    }

    public void StepStarted(StepProgress step)
    {
    }

    public void StepFinished(StepProgress step, TimeSpan elapsed)
    {
    }

    public void Notice(string message)
    {
    }
}
