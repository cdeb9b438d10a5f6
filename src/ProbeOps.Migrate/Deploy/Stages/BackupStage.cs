namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 8: a verified backup, before any change; none when no migration is pending (a stamp alone included) or with <c>--no-backup</c>.</summary>
public sealed class BackupStage : IDeployStage
{
    public string Name => DeployStages.Backup;

    public bool ChangesNothing => false;

    public Task<StageResult?> SkipAsync(DeployState state, CancellationToken cancellationToken)
    {
        if (state.NothingToDo)
        {
            return Task.FromResult<StageResult?>(new StageResult("nothing pending: no backup needed", StageOutcome.Skipped));
        }

        // A stamp only adds history rows: no migration runs, so there is nothing a backup would undo.
        if (state.Plan is { IsEmpty: true })
        {
            return Task.FromResult<StageResult?>(new StageResult("only stamping, no migration to apply: no backup needed", StageOutcome.Skipped));
        }

        if (state.Request.NoBackup)
        {
            state.Warnings.Add("No backup was taken (--no-backup).");
            return Task.FromResult<StageResult?>(new StageResult("--no-backup", StageOutcome.Skipped));
        }

        return Task.FromResult<StageResult?>(null);
    }

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var context = state.Context;
        var label = BackupService.RevisionLabel(state.HeadsBefore);
        var info = await BackupTaker.TakeAsync(context, state.RequireSession, label, state.Request.KeepBackups, output: null, cancellationToken);
        state.Backup = info;
        var removed = info.Removed.Count == 0 ? "" : $"; retention removed {info.Removed.Count} files of older backups";
        return new StageResult($"{info.Path} ({info.Bytes} bytes, sha256 {info.Sha256[..12]}…, verified{removed})");
    }
}
