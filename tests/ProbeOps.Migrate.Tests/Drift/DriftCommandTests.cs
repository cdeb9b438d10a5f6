using System.Text.Json;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Drift;

/// <summary><c>drift</c> and <c>snapshot</c> through the real process, on the example project's migrations and a real PostgreSQL server.</summary>
public sealed class DriftCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot, "examples", "probeops", "backend", "migrations", "versions"), "*.sql").Where(ExampleThroughAlerts))
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

    /// <summary>The example's revisions up to its third (these tests are written against its schema at that point).</summary>
    internal static bool ExampleThroughAlerts(string path) => string.CompareOrdinal(Path.GetFileName(path), "20250516_add_probe_alerts.sql") <= 0;

    internal static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ProbeOps.Migrate.slnx")))
            {
                dir = dir.Parent;
            }

            return dir!.FullName;
        }
    }

    private Dictionary<string, string?> Environment(string? url = null, string cache = "cache") => new()
    {
        ["DATABASE_URL"] = url ?? _database.Url,
        ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine(cache),
    };

    private Task<CliOutput> Cli(params string[] args) => CliProcess.RunAsync(_dir.Path, Environment(), args);

    private Task<CliOutput> CliAs(Dictionary<string, string?> environment, params string[] args) => CliProcess.RunAsync(_dir.Path, environment, args);

    private async Task UpgradedAsync()
    {
        var up = await Cli("upgrade");
        Assert.True(up.ExitCode == 0, up.ToString());
    }

    [Fact]
    public async Task Drift_names_a_hand_made_alter_with_exit_9_and_exits_0_once_it_is_undone()
    {
        await UpgradedAsync();
        var clean = await Cli("drift");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("No drift", clean.Stdout, StringComparison.Ordinal);

        await ExecAsync(_database, "ALTER TABLE users ALTER COLUMN tier SET DEFAULT 'basic'");
        var drifted = await Cli("drift");

        Assert.True(drifted.ExitCode == 9, drifted.ToString());
        Assert.Contains("table public.users\n  ~ column public.users.tier: default 'free'::text -> 'basic'::text\n", drifted.Stdout, StringComparison.Ordinal);
        Assert.Contains("error: schema drift: 1 difference", drifted.Stderr, StringComparison.Ordinal);

        await ExecAsync(_database, "ALTER TABLE users ALTER COLUMN tier SET DEFAULT 'free'");
        var undone = await Cli("drift");
        Assert.True(undone.ExitCode == 0, undone.ToString());
    }

    [Fact]
    public async Task Drift_json_lists_each_difference()
    {
        await UpgradedAsync();
        await ExecAsync(_database, "ALTER TABLE users ADD COLUMN nickname text; DROP INDEX ix_api_keys_user_id");

        var output = await Cli("drift", "--json");

        Assert.Equal(9, output.ExitCode);
        using var json = JsonDocument.Parse(output.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("drift").GetBoolean());
        Assert.Equal(9, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(["20250516_add_probe_alerts"], root.GetProperty("heads").EnumerateArray().Select(e => e.GetString()));
        var differences = root.GetProperty("differences").EnumerateArray().Select(d => (d.GetProperty("change").GetString(), d.GetProperty("kind").GetString(), d.GetProperty("name").GetString())).ToList();
        Assert.Contains(("added", "column", "public.users.nickname"), differences);
        Assert.Contains(("missing", "index", "public.ix_api_keys_user_id"), differences);
        Assert.DoesNotContain("devpass", output.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_leaves_out_objects_matching_exclude_patterns()
    {
        await UpgradedAsync();
        await ExecAsync(_database, "CREATE TABLE legacy_import (id int); ALTER TABLE users ADD COLUMN tmp_flag boolean");

        var drifted = await Cli("drift");
        var excluded = await Cli("drift", "--exclude", "public.legacy_*", "--exclude", "public.users.tmp_*");

        Assert.Equal(9, drifted.ExitCode);
        Assert.True(excluded.ExitCode == 0, excluded.ToString());
        Assert.Contains("Excluded: 2 objects", excluded.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_drift_reuses_the_cached_replay()
    {
        await UpgradedAsync();

        var first = await Cli("drift");
        var second = await Cli("drift");
        var uncached = await Cli("drift", "--no-cache");

        Assert.Contains("Expected: replayed 3 migrations into shadow database probeops_shadow_", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Expected: cached replay of 3 migrations", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Expected: replayed 3 migrations", uncached.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_dir.Combine("cache"), "*.json"));
    }

    [Fact]
    public async Task Drift_replays_into_a_given_shadow_database_and_empties_it_afterwards()
    {
        await UpgradedAsync();
        await using var shadow = await PostgresServer.Shared.CreateDatabaseAsync();

        var output = await Cli("drift", "--no-cache", "--shadow-database", shadow.Url);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains($"into shadow database postgres://", output.Stdout, StringComparison.Ordinal);
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(shadow);
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname NOT LIKE 'probeops_schema_history_audit%'", connection);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_shadow_database_may_come_from_the_environment_or_the_config_file()
    {
        await UpgradedAsync();
        await using var fromEnvironment = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var fromConfig = await PostgresServer.Shared.CreateDatabaseAsync();

        var environment = Environment();
        environment["PROBEOPS_SHADOW_DATABASE"] = fromEnvironment.Url;
        var viaEnvironment = await CliAs(environment, "drift", "--no-cache");
        _dir.Write("probeops-migrate.json", $$"""{ "shadowDatabase": "{{fromConfig.Url}}" }""");
        var viaConfig = await Cli("drift", "--no-cache");

        Assert.True(viaEnvironment.ExitCode == 0, viaEnvironment.ToString());
        Assert.Matches($@"Expected: replayed 3 migrations into shadow database postgres://\S+/{fromEnvironment.Name}\n", viaEnvironment.Stdout);
        Assert.True(viaConfig.ExitCode == 0, viaConfig.ToString());
        Assert.Matches($@"Expected: replayed 3 migrations into shadow database postgres://\S+/{fromConfig.Name}\n", viaConfig.Stdout);
    }

    [Fact]
    public async Task Drift_refuses_a_shadow_database_that_is_not_empty()
    {
        await UpgradedAsync();
        await using var shadow = await PostgresServer.Shared.CreateDatabaseAsync();
        await ExecAsync(shadow, "CREATE TABLE precious (id int)");

        var output = await Cli("drift", "--no-cache", "--shadow-database", shadow.Url);

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains("is not empty (public.precious)", output.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_createdb_drift_uses_the_recorded_schema_or_the_committed_snapshot_at_head_and_says_so()
    {
        var role = "probeops_app_" + Guid.NewGuid().ToString("N")[..8];
        var database = await PostgresServer.Shared.CreateDatabaseAsync();
        try
        {
            await ScalarAsync<object>($"CREATE ROLE {role} LOGIN PASSWORD 'app-secret' NOCREATEDB");
            await ScalarAsync<object>($"ALTER DATABASE {database.Name} OWNER TO {role}");
            var asApp = Environment(PostgresServer.Shared.UrlFor(database.Name, role, "app-secret"), "app-cache");
            var up = await CliAs(asApp, "upgrade");
            Assert.True(up.ExitCode == 0, up.ToString());

            // Without a snapshot, the schema recorded by the upgrade stands in.
            var noShadow = await CliAs(asApp, "drift");
            Assert.True(noShadow.ExitCode == 0, noShadow.ToString());
            Assert.Contains("Check: recorded schema\n", noShadow.Stdout, StringComparison.Ordinal);
            Assert.Contains("may not create databases (CREATEDB)", noShadow.Stdout, StringComparison.Ordinal);

            // Someone who may create databases writes the snapshot; it is committed beside the migrations.
            var written = await CliAs(Environment(database.Url, "admin-cache"), "snapshot");
            Assert.True(written.ExitCode == 0, written.ToString());
            Assert.True(File.Exists(_dir.Combine("migrations", "schema.postgresql.json")));

            var fromSnapshot = await CliAs(asApp, "drift");
            Assert.True(fromSnapshot.ExitCode == 0, fromSnapshot.ToString());
            Assert.Contains("Expected: snapshot", fromSnapshot.Stdout, StringComparison.Ordinal);
            Assert.Contains("because no shadow database could be created: the user may not create databases (CREATEDB)", fromSnapshot.Stdout, StringComparison.Ordinal);

            await ExecAsync(database, "ALTER TABLE probes ALTER COLUMN interval_seconds SET DEFAULT 30");
            var drifted = await CliAs(asApp, "drift");
            Assert.True(drifted.ExitCode == 9, drifted.ToString());
            Assert.Contains("~ column public.probes.interval_seconds: default 60 -> 30", drifted.Stdout, StringComparison.Ordinal);

            // At a revision the snapshot is not of, it cannot stand for the expected schema: the schema recorded
            // by the last upgrade does (and holds what was there then, the changed default included).
            _dir.Write("migrations/20250517_more.sql", MigrationText.File("20250516_add_probe_alerts", "CREATE TABLE more (id int);"));
            Assert.Equal(0, (await CliAs(asApp, "upgrade")).ExitCode);
            var stale = await CliAs(asApp, "drift");
            Assert.True(stale.ExitCode == 0, stale.ToString());
            Assert.Contains("Check: recorded schema\n", stale.Stdout, StringComparison.Ordinal);

            await ExecAsync(database, $"DROP TABLE {HistoryTableName.DefaultTable}_schema");
            var unrecorded = await CliAs(asApp, "drift");
            Assert.True(unrecorded.ExitCode == 2, unrecorded.ToString());
            Assert.Contains("cannot stand in", unrecorded.Stderr, StringComparison.Ordinal);
            Assert.Contains("no schema has been recorded in this database yet", unrecorded.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await database.DisposeAsync();
            await ScalarAsync<object>($"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task Snapshot_check_fails_once_a_migration_is_added()
    {
        var written = await Cli("snapshot");
        var again = await Cli("snapshot");
        var check = await Cli("snapshot", "--check");
        _dir.Write("migrations/20250517_more.sql", MigrationText.File("20250516_add_probe_alerts", "CREATE TABLE more (id int);"));
        var stale = await Cli("snapshot", "--check");

        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains("Wrote migrations/schema.postgresql.json: the schema at 20250516_add_probe_alerts (3 revisions)", written.Stdout, StringComparison.Ordinal);
        Assert.Contains("is up to date", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, check.ExitCode);
        Assert.True(stale.ExitCode == 9, stale.ToString());
        var text = await File.ReadAllTextAsync(_dir.Combine("migrations", "schema.postgresql.json"));
        Assert.Contains("\"format\": \"probeops-migrate/schema\"", text, StringComparison.Ordinal);
        Assert.Contains("\"serverVersion\": \"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tool\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_on_sqlite_replays_in_memory()
    {
        var sqlite = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db", ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache") };
        Assert.Equal(0, (await CliAs(sqlite, "upgrade")).ExitCode);
        var clean = await CliAs(sqlite, "drift");

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP INDEX ix_probe_results_probe_checked";
            await command.ExecuteNonQueryAsync();
        }

        var drifted = await CliAs(sqlite, "drift");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("in-memory SQLite database", clean.Stdout, StringComparison.Ordinal);
        Assert.True(drifted.ExitCode == 9, drifted.ToString());
        Assert.Contains("- index main.ix_probe_results_probe_checked", drifted.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_stops_with_exit_3_when_an_applied_migration_was_edited()
    {
        await UpgradedAsync();
        var path = _dir.Combine("migrations", "20250515_add_tier_limits.sql");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("max_probes", "max_probes_x", StringComparison.Ordinal));

        var output = await Cli("drift");

        Assert.True(output.ExitCode == 3, output.ToString());
    }
}
