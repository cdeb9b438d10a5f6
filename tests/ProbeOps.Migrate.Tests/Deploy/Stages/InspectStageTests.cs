using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The inspect stage on real SQLite files: empty, versioned, edited and unversioned databases.</summary>
public sealed class InspectStageTests : IDisposable
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    private static IDeployStage[] Before => [new ValidateStage(), new ConnectStage(), new LockStage()];

    [Fact]
    public async Task An_empty_database_has_nothing_applied()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), [.. Before, new InspectStage()]);

        Assert.Equal(DatabaseState.Empty, state.RequireInspection.State);
        Assert.Empty(state.RequireInspection.Applied);
        Assert.Equal("empty: every migration will run", state.Stages[^1].Detail);
    }

    [Fact]
    public async Task A_versioned_database_is_read_after_the_lock_and_checked_against_the_files()
    {
        await new Commands.MigrationCommands(_project.Settings, _project.Providers).UpgradeAsync(new Commands.RunRequest(StageProject.First), default);

        await using (var state = await StageProject.ThroughAsync(_project.State(), [.. Before, new InspectStage()]))
        {
            Assert.Equal(DatabaseState.Versioned, state.RequireInspection.State);
            Assert.Equal([StageProject.First], state.RequireInspection.Applied);
            Assert.Equal([StageProject.First], state.HeadsBefore);
        }

        _project.Migration(StageProject.First, null, "CREATE TABLE a (id INTEGER, edited INTEGER);");
        await using var edited = _project.State();
        var failure = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(edited, [.. Before, new InspectStage()]));
        Assert.Equal(FailureKind.InvalidMigrations, failure.Kind);
        Assert.Null(edited.Inspection);
    }

    [Fact]
    public async Task An_unversioned_database_needs_an_answer_in_a_deploy_and_is_a_warning_in_preflight()
    {
        await _project.ExecAsync("CREATE TABLE a (id INTEGER)");

        await using (var deploy = _project.State())
        {
            var refused = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(deploy, [.. Before, new InspectStage()]));
            Assert.Equal(FailureKind.ConfirmationRequired, refused.Kind);
        }

        await using var preflight = await StageProject.ThroughAsync(_project.State(preflight: true), new ValidateStage(), new ConnectStage(), new InspectStage());
        Assert.Equal(StageOutcome.Warning, preflight.Stages[^1].Outcome);
        Assert.Contains(preflight.Warnings, w => w.Contains("--stamp-unversioned", StringComparison.Ordinal));
        Assert.Empty(preflight.RequireInspection.StampRows);
    }

    [Fact]
    public async Task The_answer_to_the_stamp_question_becomes_rows_written_later_not_now()
    {
        await _project.ExecAsync("CREATE TABLE a (id INTEGER)");
        StampQuestion? asked = null;
        var request = new DeployRequest { AskStamp = question => (asked = question) is null ? null : "base" };

        await using var state = await StageProject.ThroughAsync(_project.State(request), [.. Before, new InspectStage()]);

        Assert.Equal(StageProject.First, asked!.BaseRevision);
        Assert.Contains("a", Assert.Single(asked.Objects), StringComparison.Ordinal);
        Assert.Equal([StageProject.First], state.RequireInspection.StampRows.Select(r => r.Revision));
        Assert.Equal(DatabaseState.Unversioned, state.RequireInspection.State);
        Assert.DoesNotContain("probeops_schema_history", await _project.TablesAsync());
    }
}
