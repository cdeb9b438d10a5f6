using ProbeOps.Migrate.Code;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Tests.CodeMigrations;

/// <summary>C# code migrations mixed with .sql files, through the library, on each real engine.</summary>
public abstract class CodeMigrationScenarios : IAsyncLifetime
{
    private CodeProject _project = null!;

    protected abstract Task<CodeProject> CreateProjectAsync();

    public async Task InitializeAsync() => _project = await CreateProjectAsync();

    public async Task DisposeAsync() => await _project.DisposeAsync();

#pragma warning disable IL2026 // the test assembly is not trimmed
    private static Code.CodeMigrations FromTests => Code.CodeMigrations.FromAssembly(typeof(FillDisplayNames).Assembly);
#pragma warning restore IL2026

    [Fact]
    public async Task A_code_revision_registered_from_an_assembly_runs_between_its_sql_parent_and_child_with_history_and_audit()
    {
        SampleFiles.Write(_project.Dir);

        var run = await _project.Commands(FromTests).UpgradeAsync(new RunRequest("head"), default);

        Assert.Equal([SampleFiles.Base, FillDisplayNames.Id, SampleFiles.Child], run.Steps.Select(s => s.Revision));
        Assert.True(Assert.Single(run.Backfills).Finished);
        Assert.Equal(0, await _project.CountAsync("SELECT count(*) FROM people WHERE display IS NULL"));
        Assert.Equal("PERSON 7", await _project.TextAsync("SELECT display FROM people WHERE id = 7"));
        Assert.Equal(FillDisplayNames.Id, await _project.TextAsync("SELECT revision FROM upgrade_runs"));
        Assert.Equal(
            Code.CodeMigrations.Checksum(FillDisplayNames.Id, 1),
            await _project.TextAsync($"SELECT checksum FROM probeops_schema_history WHERE revision = '{FillDisplayNames.Id}'"));
        Assert.Equal("Fill display names", await _project.TextAsync($"SELECT message FROM probeops_schema_history WHERE revision = '{FillDisplayNames.Id}'"));
        Assert.Contains(FillDisplayNames.Id, await _project.TextAsync("SELECT revisions FROM probeops_schema_history_audit WHERE operation = 'upgrade' AND outcome = 'succeeded'"), StringComparison.Ordinal);
        var status = await _project.Commands(FromTests).StatusAsync(default);
        Assert.True(status.IsUpToDate);
        Assert.Equal([SampleFiles.Child], status.AppliedHeads);
    }

    [Fact]
    public async Task A_throwing_upgrade_rolls_back_the_sql_revisions_of_the_same_run()
    {
        SampleFiles.Write(_project.Dir, withChild: false);

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() =>
            _project.Commands(Code.CodeMigrations.Of(new Boom())).UpgradeAsync(new RunRequest("head"), default));

        Assert.Contains("upgrade of 20250102_boom failed at 20250102_boom (C# ProbeOps.Migrate.Tests.CodeMigrations.Boom): InvalidOperationException: the boom migration refuses", error.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back; nothing was applied", error.Message, StringComparison.Ordinal);
        Assert.False(await _project.TableExistsAsync("people"));
        Assert.False(await _project.TableExistsAsync("boom_made"));
        Assert.False(await _project.TableExistsAsync("probeops_schema_history"));
        Assert.Equal("failed", await _project.TextAsync("SELECT outcome FROM probeops_schema_history_audit WHERE operation = 'upgrade'"));
    }

    [Fact]
    public async Task Downgrade_runs_the_class_downgrade_and_refuses_past_an_irreversible_class()
    {
        SampleFiles.Write(_project.Dir);
        var commands = _project.Commands(FromTests);
        await commands.UpgradeAsync(new RunRequest("head"), default);

        var run = await commands.DowngradeAsync(new RunRequest(SampleFiles.Base), default);

        Assert.Equal([SampleFiles.Child, FillDisplayNames.Id], run.Steps.Select(s => s.Revision));
        Assert.False(await _project.ColumnExistsAsync("people", "display"));
        Assert.Equal(1, await _project.CountAsync("SELECT count(*) FROM probeops_schema_history"));

        File.Delete(_project.Dir.Combine("migrations", $"{SampleFiles.Child}.sql")); // its parent is the other class
        var irreversible = _project.Commands(Code.CodeMigrations.Of(new Note()));
        await irreversible.UpgradeAsync(new RunRequest("head"), default);
        var refused = await Assert.ThrowsAnyAsync<MigrateException>(() => irreversible.DowngradeAsync(new RunRequest("base"), default));
        Assert.Equal(FailureKind.Usage, refused.Kind);
        Assert.Contains("20250102_note (C# ProbeOps.Migrate.Tests.CodeMigrations.Note)): its C# class does not override DowngradeAsync", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, await _project.CountAsync("SELECT count(*) FROM probeops_schema_history"));
    }

    [Fact]
    public async Task A_failed_code_backfill_keeps_its_committed_batches_and_the_next_upgrade_resumes_it_without_the_upgrade()
    {
        SampleFiles.Write(_project.Dir);
        var commands = _project.Commands(FromTests);
        await commands.UpgradeAsync(new RunRequest(SampleFiles.Base), default);
        await _project.CountAsync("INSERT INTO fail_switch VALUES (1)");

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => commands.UpgradeAsync(new RunRequest("head"), default));

        Assert.Contains("backfill of 20250102_fill_display_names failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: the fail switch is on", error.Message, StringComparison.Ordinal);
        Assert.Contains("the 200 rows changed by its 2 earlier runs stay committed", error.Message, StringComparison.Ordinal);
        Assert.Equal(200, await _project.CountAsync("SELECT count(*) FROM people WHERE display IS NOT NULL"));
        var status = await commands.StatusAsync(default);
        Assert.Equal(FillDisplayNames.Id, Assert.Single(status.Backfilling).Revision);
        Assert.DoesNotContain(status.Applied, a => a.Revision == SampleFiles.Child);

        await _project.CountAsync("DELETE FROM fail_switch");
        var rerun = await commands.UpgradeAsync(new RunRequest("head"), default);

        var backfill = Assert.Single(rerun.Backfills);
        Assert.True(backfill.Resumed);
        Assert.Equal(100, backfill.Rows);
        Assert.Equal([SampleFiles.Child], rerun.Steps.Select(s => s.Revision));
        Assert.Equal(1, await _project.CountAsync("SELECT count(*) FROM upgrade_runs"));
        Assert.Equal(0, await _project.CountAsync("SELECT count(*) FROM people WHERE display IS NULL"));
    }

    [Fact]
    public async Task Sql_output_refuses_a_plan_with_a_code_revision()
    {
        SampleFiles.Write(_project.Dir);

        var error = await Assert.ThrowsAnyAsync<MigrateException>(() =>
            _project.Commands(FromTests).ScriptAsync(ProbeOps.Migrate.Planning.MigrationDirection.Upgrade, "head", TransactionMode.Single, default));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains($"--sql cannot write {FillDisplayNames.Id}: it is a C# code migration", error.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteCodeMigrationTests : CodeMigrationScenarios
{
    protected override Task<CodeProject> CreateProjectAsync() => Task.FromResult<CodeProject>(new SqliteCodeProject());
}

public sealed class PostgreSqlCodeMigrationTests : CodeMigrationScenarios
{
    protected override async Task<CodeProject> CreateProjectAsync() => await PostgreSqlCodeProject.CreateAsync();
}
