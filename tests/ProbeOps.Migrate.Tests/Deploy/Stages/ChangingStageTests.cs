using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The stages that change something, each alone on a real SQLite file: backup, apply, record.</summary>
public sealed class ChangingStageTests : IDisposable
{
    private const string AuditQuery = "SELECT operation || '|' || outcome || '|' || revisions || '|' || ifnull(detail, '') FROM probeops_schema_history_audit ORDER BY id";

    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    private async Task<DeployState> PlannedAsync(DeployRequest? request = null) =>
        await StageProject.ThroughAsync(await StageProject.ThroughAsync(_project.State(request), StageProject.UpToInspect()), new DriftStage(), new PlanStage());

    [Fact]
    public async Task Backup_writes_a_verified_file_named_for_the_heads_before()
    {
        await using var state = await StageProject.ThroughAsync(await PlannedAsync(), new BackupStage());

        var backup = Assert.IsType<BackupInfo>(state.Backup);
        Assert.True(File.Exists(backup.Path));
        Assert.EndsWith("_base.dump", backup.Path, StringComparison.Ordinal);
        Assert.Equal(StageOutcome.Passed, state.Stages[^1].Outcome);
    }

    [Fact]
    public async Task Backup_is_skipped_with_a_warning_for_no_backup_and_silently_when_nothing_is_pending()
    {
        await using (var noBackup = await StageProject.ThroughAsync(await PlannedAsync(new DeployRequest { NoBackup = true }), new BackupStage()))
        {
            Assert.Equal(new StageReport(DeployStages.Backup, StageOutcome.Skipped, TimeSpan.Zero, "--no-backup"), noBackup.Stages[^1]);
            Assert.Contains("No backup was taken (--no-backup).", noBackup.Warnings);
            await StageProject.ThroughAsync(noBackup, new ApplyStage(), new RecordStage());
        }

        await using var upToDate = await StageProject.ThroughAsync(await PlannedAsync(), new BackupStage(), new ApplyStage());
        Assert.Equal("nothing pending: no backup needed", upToDate.Stages[^2].Detail);
        Assert.Equal(new StageReport(DeployStages.Apply, StageOutcome.Skipped, TimeSpan.Zero, "nothing pending"), upToDate.Stages[^1]);
        Assert.Empty(upToDate.Warnings);
        Assert.False(Directory.Exists(_project.Dir.Combine("backups")));
    }

    [Fact]
    public async Task Apply_stamps_an_unversioned_database_first_then_runs_the_plan_and_records_the_history()
    {
        await _project.ExecAsync("CREATE TABLE a (id INTEGER)");
        var request = new DeployRequest { StampUnversioned = "base", NoBackup = true };

        await using var state = await StageProject.ThroughAsync(await PlannedAsync(request), new BackupStage(), new ApplyStage());

        Assert.Equal([StageProject.Second], state.Steps!.Select(s => s.Revision));
        Assert.Equal($"stamped {StageProject.First}, then 1 applied (one transaction)", state.Stages[^1].Detail);
        Assert.Equal([StageProject.First, StageProject.Second], await _project.ColumnAsync("SELECT revision FROM probeops_schema_history ORDER BY revision"));
        // The stamped row and the applied one both belong to this deploy.
        Assert.Equal([state.DeployId, state.DeployId], await _project.ColumnAsync("SELECT deploy_id FROM probeops_schema_history ORDER BY revision"));
        Assert.Equal([$"stamp|succeeded|{StageProject.First}|stamped an unversioned database"], await _project.ColumnAsync(AuditQuery));
        Assert.Equal([StageProject.Second], state.ToReport(null, DateTimeOffset.UtcNow).HeadsAfter);
    }

    [Fact]
    public async Task A_failed_apply_changes_nothing_and_leaves_a_failed_audit_row()
    {
        _project.Migration("20250103_c", StageProject.Second, "CREATE TABLE c (id INTEGER);\nINSERT INTO missing VALUES (1);");
        var state = await StageProject.ThroughAsync(await PlannedAsync(new DeployRequest { NoBackup = true }), new BackupStage());

        var failure = await Assert.ThrowsAsync<Migrate.Execution.MigrationFailedException>(() => StageProject.ThroughAsync(state, new ApplyStage()));
        await state.DisposeAsync();

        Assert.Equal(FailureKind.MigrationFailed, failure.Kind);
        Assert.Null(state.Steps);
        Assert.DoesNotContain("a", await _project.TablesAsync());
        Assert.Equal([$"upgrade|failed|{StageProject.First},{StageProject.Second},20250103_c|{failure.Message}"], await _project.ColumnAsync(AuditQuery));
    }

    [Fact]
    public async Task Record_writes_the_audit_row_naming_the_backup()
    {
        await using var state = await StageProject.ThroughAsync(await PlannedAsync(), new BackupStage(), new ApplyStage(), new RecordStage());

        Assert.Equal($"history and audit log written, schema recorded in probeops_schema_history_schema; deploy id {state.DeployId}", state.Stages[^1].Detail);
        Assert.Equal(
            [$"upgrade|succeeded|{StageProject.First},{StageProject.Second}|backup {state.Backup!.Path}"],
            await _project.ColumnAsync(AuditQuery));
        Assert.Equal([state.DeployId], await _project.ColumnAsync("SELECT deploy_id FROM probeops_schema_history_audit"));
    }

    [Fact]
    public async Task Record_of_a_deploy_with_nothing_to_do_leaves_an_audit_row_and_no_stage()
    {
        await using (var first = await PlannedAsync(new DeployRequest { NoBackup = true }))
        {
            await StageProject.ThroughAsync(first, new BackupStage(), new ApplyStage(), new RecordStage());
        }

        await using var state = await StageProject.ThroughAsync(await PlannedAsync(), new BackupStage(), new ApplyStage(), new RecordStage());

        Assert.Equal(DeployStages.Apply, state.Stages[^1].Name);
        Assert.Equal("upgrade|succeeded||nothing to do", (await _project.ColumnAsync(AuditQuery))[^1]);
        var report = state.ToReport(null, DateTimeOffset.UtcNow);
        Assert.Equal("nothing-to-do", report.Outcome);
        Assert.Equal(report.HeadsBefore, report.HeadsAfter);
    }
}
