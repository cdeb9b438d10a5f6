using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>amend</c> accepted: the revision, its file, both checksums and the reason.</summary>
/// <param name="Changed">False when the file already matched its recorded checksum (nothing written).</param>
/// <param name="UpgradeSql">The upgrade section as the file has it now.</param>
public sealed record AmendResult(
    string Database, string Revision, string File, string RecordedChecksum, string NewChecksum, string Reason, bool Changed, string UpgradeSql, string DeployId);

/// <summary>
/// <c>amend REV --reason TEXT</c>: accepts the current text of an applied migration whose file was edited.
/// The recorded checksum is replaced and an audit row holding both checksums, who, when and why is
/// written, in one transaction: the history never changes without its record. The history keeps
/// checksums, not section text, so the old text cannot be shown (decision 0016).
/// </summary>
public sealed class AmendVerb(string revisionText, string reason) : IDatabaseVerb<AmendResult>
{
    public OperationNeeds Needs { get; } = new(Lock: true);

    public async Task<AmendResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new MigrateException(FailureKind.Usage, "amend needs --reason TEXT: why the applied migration was edited, for the audit log.");
        }

        var id = ResolveApplied(scope);
        var file = scope.Graph[id].File
            ?? throw new MigrateException(FailureKind.InvalidMigrations, $"{id} has no migration file to take a checksum from");
        var recorded = scope.Applied.First(a => a.Revision == id).Checksum;
        var result = new AmendResult(scope.Database, id, file.Path, recorded, file.Checksum, reason.Trim(), recorded != file.Checksum, file.Upgrade.Sql, scope.Options.DeployId);
        if (result.Changed)
        {
            await RecordAsync(scope, result, cancellationToken);
        }

        return result;
    }

    /// <summary>The applied revision named by a full id or unique prefix; exit 3 when the files or the history lack it.</summary>
    private string ResolveApplied(OperationScope scope)
    {
        string id;
        try
        {
            id = TargetResolver.Resolve(scope.Graph, revisionText, scope.History.AppliedIds).RevisionId
                ?? throw new MigrateException(FailureKind.InvalidMigrations, $"'{revisionText}' is not one revision: name the revision to amend");
        }
        catch (MigrateException ex) when (ex.Kind == FailureKind.Usage)
        {
            throw new MigrateException(FailureKind.InvalidMigrations, $"cannot amend: {ex.Message}");
        }

        return scope.History.AppliedIds.Contains(id)
            ? id
            : throw new MigrateException(FailureKind.InvalidMigrations, $"cannot amend {id}: it is not applied, so there is no recorded checksum to replace; `probeops-migrate upgrade` applies it");
    }

    private static async Task RecordAsync(OperationScope scope, AmendResult amend, CancellationToken cancellationToken)
    {
        var context = scope.Context;
        var started = context.Time.GetUtcNow();
        var actor = scope.Options.Actor;
        var entry = new AuditEntry(
            amend.DeployId,
            AuditOperations.Amend,
            actor.User,
            actor.Host,
            actor.ToolVersion,
            started,
            context.Time.GetUtcNow(),
            AuditOutcomes.Succeeded,
            amend.Revision,
            $"checksum {amend.RecordedChecksum} -> {amend.NewChecksum}; reason: {amend.Reason}");
        var session = scope.Session;
        try
        {
            await session.Executor.BeginTransactionAsync(cancellationToken);
            await session.Executor.ExecuteAsync(context.Provider.HistorySql(context.Settings.History).UpdateChecksum(amend.Revision, amend.NewChecksum), cancellationToken);
            await session.History.AppendAuditAsync(entry, cancellationToken);
            await session.Executor.CommitAsync(cancellationToken);
        }
        catch (StatementFailedException ex)
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
            throw new MigrateException(FailureKind.MigrationFailed, $"Amending {amend.Revision} failed: {ex.Message}; the history is unchanged.", ex);
        }
    }
}
