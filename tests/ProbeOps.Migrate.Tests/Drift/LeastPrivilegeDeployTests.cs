using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Drift;

/// <summary>
/// A deploy by an ordinary database user: one that owns its schema and nothing else (no CREATEDB, not a
/// superuser), so no shadow database can be made. Drift is checked against the schema recorded after the
/// last change. Through the real process, on the example project's migrations.
/// </summary>
public sealed class LeastPrivilegeDeployTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly string _role = "probeops_owner_" + Guid.NewGuid().ToString("N")[..8];
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(DriftCommandTests.RepositoryRoot, "examples", "probeops", "backend", "migrations", "versions"), "*.sql"))
        {
            _dir.Write("migrations/" + Path.GetFileName(file), await File.ReadAllTextAsync(file));
        }

        _database = await PostgresServer.Shared.CreateDatabaseAsync();
        await ScalarAsync<object>($"CREATE ROLE {_role} LOGIN PASSWORD 'owner-secret' NOCREATEDB NOSUPERUSER");

        // The schema named after the role is first on its search_path ("$user"), so the migrations' tables go there.
        await ExecAsync(_database, $"CREATE SCHEMA {_role} AUTHORIZATION {_role}");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await ScalarAsync<object>($"DROP ROLE IF EXISTS {_role}");
        _dir.Dispose();
    }

    private Task<CliOutput> AsOwner(params string[] args) => CliProcess.RunAsync(
        _dir.Path,
        new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = PostgresServer.Shared.UrlFor(_database.Name, _role, "owner-secret"),
            ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache"),
        },
        [.. args, "--history-schema", _role]);

    private static JsonElement Json(CliOutput output) => JsonDocument.Parse(output.Stdout).RootElement;

    [Fact]
    public async Task A_schema_owner_deploys_a_fresh_database_and_later_deploys_are_checked_against_the_recorded_schema()
    {
        var first = await AsOwner("deploy", "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var record = Json(first).GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "record");
        Assert.Contains("schema recorded in probeops_schema_history_schema", record.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var again = await AsOwner("deploy", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("recorded-schema", Json(again).GetProperty("driftCheck").GetString());

        var drift = await AsOwner("drift");
        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains("Check: recorded schema\n", drift.Stdout, StringComparison.Ordinal);
        Assert.Contains("because no shadow database could be created: the user may not create databases (CREATEDB)", drift.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_owner_s_deploy_of_a_drifted_database_stops_with_exit_9_naming_the_change()
    {
        Assert.Equal(0, (await AsOwner("upgrade", "20250515_add_tier_limits")).ExitCode);
        await ExecAsync(_database, $"ALTER TABLE {_role}.users ALTER COLUMN tier SET DEFAULT 'basic'");

        var deploy = await AsOwner("deploy");

        Assert.True(deploy.ExitCode == 9, deploy.ToString());
        Assert.Contains($"~ column {_role}.users.tier: default 'free'::text -> 'basic'::text", deploy.All, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync($"SELECT count(*) FROM {_role}.probeops_schema_history WHERE revision = '20250516_add_probe_alerts'"));
        var json = Json(await AsOwner("drift", "--json"));
        Assert.Equal("recorded-schema", json.GetProperty("check").GetString());
        Assert.Equal(9, json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task A_database_never_recorded_and_without_a_shadow_deploys_with_a_warning_and_is_recorded_for_the_next_run()
    {
        Assert.Equal(0, (await AsOwner("upgrade", "20250515_add_tier_limits")).ExitCode);
        await ExecAsync(_database, $"DROP TABLE {_role}.probeops_schema_history_schema");

        var deploy = await AsOwner("deploy", "--json");
        var later = await AsOwner("drift");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("none", Json(deploy).GetProperty("driftCheck").GetString());
        Assert.Contains("no recorded schema", Json(deploy).GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.True(later.ExitCode == 0, later.ToString());
        Assert.Contains("Check: recorded schema", later.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_method_recorded_refuses_a_database_with_no_record_and_replay_refuses_without_createdb()
    {
        Assert.Equal(0, (await AsOwner("upgrade")).ExitCode);
        await ExecAsync(_database, $"DROP TABLE {_role}.probeops_schema_history_schema");

        var recorded = await AsOwner("drift", "--method", "recorded");
        var replay = await AsOwner("drift", "--method", "replay");
        var auto = await AsOwner("drift");

        Assert.True(recorded.ExitCode == 2, recorded.ToString());
        Assert.Contains("--method recorded: no schema has been recorded in this database yet", recorded.Stderr, StringComparison.Ordinal);
        Assert.True(replay.ExitCode == 2, replay.ToString());
        Assert.DoesNotContain("recorded schema", replay.Stderr, StringComparison.Ordinal);
        Assert.True(auto.ExitCode == 2, auto.ToString());
        Assert.Contains("There is no recorded schema to compare against either", auto.Stderr, StringComparison.Ordinal);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
