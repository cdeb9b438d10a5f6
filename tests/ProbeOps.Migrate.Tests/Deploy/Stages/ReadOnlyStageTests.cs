using ProbeOps.Migrate.Deploy;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The stages preflight runs too, each alone on a real SQLite file: validate, connect, versions, plan.</summary>
public sealed class ReadOnlyStageTests : IDisposable
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void Preflight_runs_exactly_the_stages_that_change_nothing()
    {
        Assert.Equal(
            [DeployStages.Validate, DeployStages.Connect, DeployStages.Versions, DeployStages.Inspect, DeployStages.Lint, DeployStages.Drift, DeployStages.Plan],
            DeployPipeline.Stages().Where(s => s.ChangesNothing).Select(s => s.Name));
        Assert.Equal(
            [DeployStages.Validate, DeployStages.Connect, DeployStages.Versions, DeployStages.Lock, DeployStages.Inspect,
             DeployStages.Lint, DeployStages.Drift, DeployStages.Plan, DeployStages.Backup, DeployStages.Apply, DeployStages.Record],
            DeployPipeline.Stages().Select(s => s.Name));
    }

    [Fact]
    public async Task Validate_loads_the_graph_and_reports_its_head()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), new ValidateStage());

        Assert.Equal(2, state.RequireGraph.Count);
        var stage = Assert.Single(state.Stages);
        Assert.Equal(StageOutcome.Passed, stage.Outcome);
        Assert.Equal($"2 migrations, head {StageProject.Second}", stage.Detail);
    }

    [Fact]
    public async Task Validate_fails_with_exit_3_on_invalid_files_and_reports_the_failure()
    {
        _project.Migration("20250103_c", "20250101_missing", "CREATE TABLE c (id INTEGER);");
        await using var state = _project.State();

        var failure = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(state, new ValidateStage()));

        Assert.Equal(FailureKind.InvalidMigrations, failure.Kind);
        Assert.Null(state.Graph);
        Assert.Equal(StageOutcome.Failed, Assert.Single(state.Stages).Outcome);
    }

    [Fact]
    public async Task Connect_opens_the_session_and_names_the_database_before_connecting()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), new ConnectStage());

        Assert.NotNull(state.Session);
        Assert.Equal(state.Context.Target.Display, state.Database);
        Assert.StartsWith($"{state.Context.Target.Display} (sqlite ", Assert.Single(state.Stages).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_records_the_server_version_for_the_report()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), new ConnectStage(), new VersionsStage());

        Assert.NotNull(state.Clients);
        Assert.Equal(StageOutcome.Passed, state.Stages[1].Outcome);
        Assert.Equal($"server {state.RequireSession.ServerVersion}", state.Stages[1].Detail);
        Assert.Equal(state.RequireSession.ServerVersion, state.ToReport(null, DateTimeOffset.UtcNow).Versions!.Server);
    }

    [Fact]
    public async Task Plan_lists_what_the_inspected_history_lacks()
    {
        await using (var earlier = await StageProject.ThroughAsync(_project.State(), StageProject.UpToInspect()))
        {
            await StageProject.ThroughAsync(earlier, new PlanStage(), new BackupStage(), new ApplyStage(), new RecordStage());
        }

        _project.Migration("20250103_c", StageProject.Second, "CREATE TABLE c (id INTEGER);");
        await using var state = await StageProject.ThroughAsync(_project.State(preflight: true), StageProject.UpToInspect(locked: false));
        await StageProject.ThroughAsync(state, new PlanStage());

        Assert.Equal(["20250103_c"], state.RequirePlan.Steps.Select(s => s.Id));
        Assert.Equal("1 pending: 20250103_c", state.Stages[^1].Detail);
        Assert.Equal(["20250103_c"], state.ToReport(null, DateTimeOffset.UtcNow).Pending);
    }
}
