namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 3: the client programs the backup needs can handle this server (only a warning without a backup).</summary>
public sealed class VersionsStage : IDeployStage
{
    public string Name => DeployStages.Versions;

    public bool ChangesNothing => true;

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var check = await state.Context.BackupTool().CheckClientAsync(state.RequireSession, cancellationToken);
        var found = string.Join(", ", check.Tools.Select(t => $"{t.Name} {t.Version}"));
        var detail = $"server {check.ServerVersion}{(found.Length == 0 ? "" : "; " + found)}";
        if (check.IsCompatible)
        {
            state.Clients = check;
            return new StageResult(detail);
        }

        if (!state.Request.NoBackup)
        {
            throw new MigrateException(FailureKind.VersionMismatch, string.Join(" ", check.Problems) + " Nothing was changed.");
        }

        state.Warnings.AddRange(check.Problems.Select(p => p + " (only a warning: --no-backup)"));
        state.Clients = check;
        return new StageResult(detail, StageOutcome.Warning);
    }
}
