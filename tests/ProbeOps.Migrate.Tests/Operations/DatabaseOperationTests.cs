using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Deploy.Stages;

namespace ProbeOps.Migrate.Tests.Operations;

/// <summary>The one locked operation every database verb runs, on real SQLite files, with verbs made for the test.</summary>
public sealed class DatabaseOperationTests : IDisposable
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();

    public void Dispose() => _project.Dispose();

    private DatabaseOperation Operation() => new(MigrationContext.Create(_project.Settings, _project.Providers));

    [Fact]
    public async Task A_locking_verb_holds_the_lock_for_its_body_only()
    {
        var verb = new ProbeVerb(new OperationNeeds(Lock: true), async scope =>
        {
            await using var other = await Operation().Context.OpenSessionAsync(CancellationToken.None);
            var busy = await Assert.ThrowsAsync<MigrateException>(() => other.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None));
            return busy.Kind.ToString();
        });

        Assert.Equal(nameof(FailureKind.LockTimeout), await Operation().RunLockedAsync(verb, CancellationToken.None));

        await using var after = await Operation().Context.OpenSessionAsync(CancellationToken.None);
        await using var held = await after.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_check_before_connecting_leaves_no_database_behind()
    {
        var verb = new ProbeVerb(new OperationNeeds(Lock: true, BeforeConnect: context => context.RequireConfirmation("wrong")), _ => Task.FromResult("ran"));

        var refused = await Assert.ThrowsAsync<MigrateException>(() => Operation().RunLockedAsync(verb, CancellationToken.None));

        Assert.Equal(FailureKind.ConfirmationRequired, refused.Kind);
        Assert.False(verb.Ran);
        Assert.False(File.Exists(_project.DatabasePath));
    }

    [Fact]
    public async Task A_verb_that_needs_a_consistent_history_never_runs_on_an_edited_one()
    {
        await new Commands.MigrationCommands(_project.Settings, _project.Providers).UpgradeAsync(new Commands.RunRequest("head"), default);
        _project.Migration(StageProject.First, null, "CREATE TABLE a (id INTEGER, edited INTEGER);");
        var lenient = new ProbeVerb(new OperationNeeds(), scope => Task.FromResult(string.Join(",", scope.History.Edited.Select(e => e.Revision))));
        var strict = new ProbeVerb(new OperationNeeds(History: HistoryNeed.Consistent), _ => Task.FromResult("ran"));

        Assert.Equal(StageProject.First, await Operation().RunLockedAsync(lenient, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<MigrateException>(() => Operation().RunLockedAsync(strict, CancellationToken.None));
        Assert.Equal(FailureKind.InvalidMigrations, refused.Kind);
        Assert.False(strict.Ran);
    }

    [Fact]
    public async Task Invalid_files_are_reported_before_anything_is_opened()
    {
        _project.Migration("20250103_c", "20250101_missing", "CREATE TABLE c (id INTEGER);");
        var verb = new ProbeVerb(new OperationNeeds(), _ => Task.FromResult("ran"));

        var refused = await Assert.ThrowsAsync<MigrateException>(() => Operation().RunLockedAsync(verb, CancellationToken.None));

        Assert.Equal(FailureKind.InvalidMigrations, refused.Kind);
        Assert.False(verb.Ran);
        Assert.False(File.Exists(_project.DatabasePath));
    }

    private sealed class ProbeVerb(OperationNeeds needs, Func<OperationScope, Task<string>> body) : IDatabaseVerb<string>
    {
        public bool Ran { get; private set; }

        public OperationNeeds Needs => needs;

        public Task<string> RunAsync(OperationScope scope, CancellationToken cancellationToken)
        {
            Ran = true;
            return body(scope);
        }
    }
}
