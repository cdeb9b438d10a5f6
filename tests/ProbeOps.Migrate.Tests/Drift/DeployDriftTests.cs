using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Drift;

/// <summary>
/// The expected-schema check inside <c>deploy</c> and <c>preflight</c>, and <c>--stamp-unversioned auto</c>:
/// on PostgreSQL through the library, on SQLite through the real process.
/// </summary>
public sealed class DeployDriftTests : IAsyncLifetime
{
    private const string First = "20250514_create_base_schema";
    private const string Second = "20250515_add_tier_limits";
    private const string Third = "20250516_add_probe_alerts";

    private readonly TempDirectory _dir = new();
    private TestDatabase _database = null!;

    private string Migrations => _dir.Combine("migrations");

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(DriftCommandTests.RepositoryRoot, "examples", "probeops", "backend", "migrations", "versions"), "*.sql").Where(DriftCommandTests.ExampleThroughAlerts))
        {
            _dir.Write("migrations/" + Path.GetFileName(file), await File.ReadAllTextAsync(file));
        }

        _database = await PostgresServer.Shared.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>
    /// Deploys without a backup. The version stage asks the provider's client tools; this registry's
    /// PostgreSQL provider answers that the server is supported, so the tests need no pg_dump.
    /// </summary>
    private async Task<DeployOutcome> DeployAsync(string? stamp = null, bool allowDrift = false, bool preflight = false)
    {
        await using var providers = new ProviderRegistry([new ServerOnlyPostgreSqlProvider()]);
        var commands = new MigrationCommands(Settings(_database.Url, Migrations, _dir.Path), providers);
        var request = new DeployRequest
        {
            NoBackup = true,
            StampUnversioned = stamp,
            AllowDrift = allowDrift,
            Drift = new DriftOptions { CacheDirectory = _dir.Combine("cache") },
        };
        return preflight ? await commands.PreflightAsync(request, null, CancellationToken.None) : await commands.DeployAsync(request, null, CancellationToken.None);
    }

    /// <summary>The database as the migrations up to <paramref name="revision"/> leave it, without any history.</summary>
    private async Task UnversionedAtAsync(string revision)
    {
        await new MigrationCommands(Settings(_database.Url, Migrations), Schema.SchemaTestSupport.Providers).UpgradeAsync(new RunRequest(revision), CancellationToken.None);
        await ExecAsync(_database, $"DROP TABLE {HistoryTableName.DefaultTable}");
    }

    private void AddMigration(string name, string parent, string sql) =>
        _dir.Write($"migrations/{name}.sql", MigrationText.File(parent, sql));

    [Fact]
    public async Task Deploy_stops_on_drift_with_exit_9_before_applying_anything()
    {
        await new MigrationCommands(Settings(_database.Url, Migrations), Schema.SchemaTestSupport.Providers).UpgradeAsync(new RunRequest(Second), CancellationToken.None);
        await ExecAsync(_database, "ALTER TABLE users ADD COLUMN nickname text");

        var outcome = await DeployAsync();

        Assert.Equal(9, outcome.Report.ExitCode);
        Assert.Equal(FailureKind.Drift, outcome.Failure?.Kind);
        Assert.Contains("+ column public.users.nickname", outcome.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal("+ column public.users.nickname", Assert.Single(outcome.Failure.Diagnostics).Message);
        Assert.Equal(StageOutcome.Failed, outcome.Report.Stages.Single(s => s.Name == DeployStages.Drift).Outcome);
        Assert.Empty(outcome.Report.Applied);
        Assert.Equal(0L, await ScalarOnAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'alert_channels'"));
    }

    [Fact]
    public async Task Allow_drift_deploys_anyway_and_warns_with_each_difference()
    {
        await new MigrationCommands(Settings(_database.Url, Migrations), Schema.SchemaTestSupport.Providers).UpgradeAsync(new RunRequest(Second), CancellationToken.None);
        await ExecAsync(_database, "ALTER TABLE users ADD COLUMN nickname text");

        var outcome = await DeployAsync(allowDrift: true);

        Assert.True(outcome.Report.Succeeded, outcome.Report.Error);
        Assert.Equal([Third], outcome.Report.Applied);
        Assert.Equal(StageOutcome.Warning, outcome.Report.Stages.Single(s => s.Name == DeployStages.Drift).Outcome);
        Assert.Contains("drift: + column public.users.nickname", outcome.Report.Warnings);
    }

    [Fact]
    public async Task A_database_that_matches_its_migrations_passes_the_drift_stage()
    {
        var first = await DeployAsync();
        var second = await DeployAsync();

        Assert.True(first.Report.Succeeded, first.Report.Error);
        Assert.Equal(StageOutcome.Skipped, first.Report.Stages.Single(s => s.Name == DeployStages.Drift).Outcome);
        Assert.True(second.Report.Succeeded, second.Report.Error);
        var stage = second.Report.Stages.Single(s => s.Name == DeployStages.Drift);
        Assert.Equal(StageOutcome.Passed, stage.Outcome);
        Assert.Contains("matches the migrations", stage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_reports_drift_with_exit_9()
    {
        await DeployAsync();
        await ExecAsync(_database, "DROP INDEX ix_api_keys_user_id");

        var outcome = await DeployAsync(preflight: true);

        Assert.Equal(9, outcome.Report.ExitCode);
        Assert.Contains("- index public.ix_api_keys_user_id", outcome.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_unversioned_auto_stamps_the_revision_the_schema_matches_and_applies_the_rest()
    {
        await UnversionedAtAsync(Second);

        var outcome = await DeployAsync(stamp: "auto");

        Assert.True(outcome.Report.Succeeded, outcome.Report.Error);
        Assert.Equal([First, Second], outcome.Report.Stamped);
        Assert.Equal([Third], outcome.Report.Applied);
        Assert.Equal(StageOutcome.Passed, outcome.Report.Stages.Single(s => s.Name == DeployStages.Drift).Outcome);
        Assert.Equal(3L, await ScalarOnAsync<long>($"SELECT count(*) FROM {HistoryTableName.DefaultTable}"));
    }

    [Fact]
    public async Task Stamp_unversioned_auto_refuses_a_schema_that_matches_no_revision()
    {
        await UnversionedAtAsync(Second);
        await ExecAsync(_database, "ALTER TABLE users ADD COLUMN nickname text");

        var outcome = await DeployAsync(stamp: "auto");

        Assert.Equal(9, outcome.Report.ExitCode);
        Assert.True(outcome.Failure!.Message.Contains($"matches no revision; the closest is {Second} with 1 difference", StringComparison.Ordinal), outcome.Failure.Message);
        Assert.Contains("+ column public.users.nickname", outcome.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarOnAsync<long>($"SELECT count(*) FROM pg_class WHERE relname = '{HistoryTableName.DefaultTable}'"));
    }

    [Fact]
    public async Task Stamp_unversioned_auto_refuses_when_revisions_differ_only_in_data()
    {
        AddMigration("20250517_seed_limits", Third, "UPDATE tier_limits SET max_probes = 6 WHERE tier = 'free';");
        await UnversionedAtAsync(Third);

        var outcome = await DeployAsync(stamp: "auto");

        Assert.Equal(10, outcome.Report.ExitCode);
        Assert.Contains($"matches 2 revisions ({Third}, 20250517_seed_limits)", outcome.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_stamp_is_checked_against_the_schema_it_claims()
    {
        await UnversionedAtAsync(Second);

        var wrong = await DeployAsync(stamp: "base");
        var right = await DeployAsync(stamp: Second);

        Assert.Equal(9, wrong.Report.ExitCode);
        Assert.Contains("+ table public.tier_limits", wrong.Failure!.Message, StringComparison.Ordinal);
        Assert.True(right.Report.Succeeded, right.Report.Error);
        Assert.Equal([Third], right.Report.Applied);
    }

    [Fact]
    public async Task On_sqlite_deploy_stops_on_drift_and_auto_stamps_through_the_command_line()
    {
        var environment = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db", ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache") };
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, environment, "upgrade", Second)).ExitCode);
        await SqliteAsync("DROP TABLE probeops_schema_history");

        var auto = await CliProcess.RunAsync(_dir.Path, environment, "deploy", "--no-backup", "--stamp-unversioned", "auto");
        Assert.True(auto.ExitCode == 0, auto.ToString());
        Assert.Contains($"stamping {Second}", auto.Stderr, StringComparison.Ordinal);

        AddMigration("20250517_more", Third, "CREATE TABLE more (id INTEGER);");
        await SqliteAsync("CREATE INDEX users_tier ON users (tier)");
        var drifted = await CliProcess.RunAsync(_dir.Path, environment, "deploy", "--no-backup");
        Assert.True(drifted.ExitCode == 9, drifted.ToString());
        Assert.Contains("error PM901: + index main.users_tier", drifted.Stderr, StringComparison.Ordinal);

        var excluded = await CliProcess.RunAsync(_dir.Path, environment, "deploy", "--no-backup", "--exclude", "main.users_tier");
        Assert.True(excluded.ExitCode == 0, excluded.ToString());
        Assert.Contains("Deployed 1 migration", excluded.Stdout, StringComparison.Ordinal);
    }

    private async Task SqliteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarOnAsync<T>(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>PostgreSQL whose client-tool check reports the server alone: backups are off in these tests.</summary>
    private sealed class ServerOnlyPostgreSqlProvider : IDatabaseProvider
    {
        private readonly PostgreSqlProvider _inner = new();

        public string Name => _inner.Name;

        public ProbeOps.Migrate.Sql.ISqlDialect Dialect => _inner.Dialect;

        public ProviderCapabilities Capabilities => _inner.Capabilities;

        public DatabaseTarget? TryParse(string setting) => _inner.TryParse(setting);

        public IHistorySql HistorySql(HistoryTableName history) => _inner.HistorySql(history);

        public IBackupTool BackupTool(ClientToolOptions options) => new ServerOnly();

        public Task<IDatabaseSession> OpenSessionAsync(DatabaseTarget target, SessionOptions options, CancellationToken cancellationToken) =>
            _inner.OpenSessionAsync(target, options, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();

        private sealed class ServerOnly : IBackupTool
        {
            public Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken) =>
                Task.FromResult(new ClientToolsReport(session.ServerVersion, session.ServerVersionNumber / 10000, [], []));

            public Task<bool> BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task VerifyAsync(string path, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task RestoreAsync(IDatabaseSession session, string path, CancellationToken cancellationToken) => throw new NotSupportedException();
        }
    }
}
