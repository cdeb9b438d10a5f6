using System.Runtime.Versioning;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>The connect and versions stages on the real PostgreSQL test server, with client tools too old for it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlStageTests : IAsyncLifetime
{
    private readonly StageProject _project = new StageProject().WithTwoMigrations();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.Shared.CreateDatabaseAsync();
        _project.Database = _database.Url;
        _project.PgBinDirectory = FakeClientTools.WriteVersionOnly(_project.Dir.Combine("old-bin"), "12.0", "pg_dump", "pg_restore", "psql");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task Connect_reports_the_masked_database_and_the_server()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), new ConnectStage());

        var detail = Assert.Single(state.Stages).Detail;
        Assert.StartsWith($"{_database.Target.Display} (postgresql ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(new Npgsql.NpgsqlConnectionStringBuilder(_database.Target.ConnectionString).Password!, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_tools_too_old_for_the_server_fail_with_exit_5_before_anything_changes()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(), new ConnectStage());

        var failure = await Assert.ThrowsAsync<MigrateException>(() => StageProject.ThroughAsync(state, new VersionsStage()));

        Assert.Equal(FailureKind.VersionMismatch, failure.Kind);
        Assert.EndsWith("Nothing was changed.", failure.Message, StringComparison.Ordinal);
        Assert.Null(state.Clients);
        Assert.Equal(StageOutcome.Failed, state.Stages[^1].Outcome);
    }

    [Fact]
    public async Task Without_a_backup_old_client_tools_are_a_warning()
    {
        await using var state = await StageProject.ThroughAsync(_project.State(new DeployRequest { NoBackup = true }), new ConnectStage(), new VersionsStage());

        Assert.Equal(StageOutcome.Warning, state.Stages[^1].Outcome);
        Assert.Contains(state.Warnings, w => w.EndsWith("(only a warning: --no-backup)", StringComparison.Ordinal));
        Assert.Equal("12.0", state.ToReport(null, DateTimeOffset.UtcNow).Versions!.Clients["pg_dump"]);
    }
}
