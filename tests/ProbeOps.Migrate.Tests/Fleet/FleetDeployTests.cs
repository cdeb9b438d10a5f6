using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Fleet;

/// <summary><c>deploy --targets</c> on real PostgreSQL databases of the test cluster, through the tool's process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FleetDeployTests
{
    /// <summary>Fails on a database whose name ends in <c>_bad</c>, and only there.</summary>
    private static readonly string FailOnBad = MigrationText.File(
        "20250101_accounts",
        "CREATE TABLE orders (id int PRIMARY KEY);\nDO $$ BEGIN IF current_database() LIKE '%\\_bad' THEN RAISE EXCEPTION 'this target refuses orders'; END IF; END $$;");

    [Fact]
    public async Task Nine_databases_deploy_in_waves_the_canary_first_then_the_rest_four_at_a_time()
    {
        await using var project = await FleetProject.CreateAsync(9);
        var targets = project.Databases.Select((d, i) => (object)new { name = $"db{i}", database = FleetProject.UrlOf(d.Name), wave = i == 0 ? "canary" : null });
        project.WriteTargets("\"parallel\": 4, \"waves\": [\"canary\", \"main\"]", [.. targets]);

        var output = await project.RunAsync("deploy", "--targets", "targets.json", "--json");

        Assert.True(output.ExitCode == 0, output.ToString());
        var json = JsonDocument.Parse(output.Stdout).RootElement;
        Assert.Equal(0, json.GetProperty("exitCode").GetInt32());
        var reported = json.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(9, reported.Count);
        Assert.All(reported, t =>
        {
            Assert.Equal("succeeded", t.GetProperty("outcome").GetString());
            Assert.Equal(0, t.GetProperty("exitCode").GetInt32());
            Assert.Equal(["20250101_accounts"], t.GetProperty("applied").EnumerateArray().Select(a => a.GetString()));
        });
        Assert.Equal("canary", reported[0].GetProperty("wave").GetString());
        Assert.All(reported.Skip(1), t => Assert.Equal("main", t.GetProperty("wave").GetString()));

        // The canary's history row was written before any other target started its apply.
        var canaryDone = await FleetProject.ScalarAsync<DateTime>(project.Databases[0], "SELECT max(finished_at) FROM probeops_schema_history_audit");
        foreach (var database in project.Databases.Skip(1))
        {
            Assert.True(await FleetProject.HasTableAsync(database, "public.accounts"));
            var started = await FleetProject.ScalarAsync<DateTime>(database, "SELECT min(started_at) FROM probeops_schema_history_audit");
            Assert.True(started >= canaryDone, $"{database.Name} started at {started:O}, before the canary finished at {canaryDone:O}");
        }

        var report = project.FleetReport();
        Assert.Equal(9, report.GetProperty("targets").GetArrayLength());
        var markdown = File.ReadAllText(Assert.Single(Directory.GetFiles(project.Dir.Combine("deployment_logs"), "*_fleet-*.md")));
        Assert.All(Enumerable.Range(0, 9), i => Assert.Contains($"| db{i} |", markdown));
    }

    [Fact]
    public async Task With_onError_stop_a_failed_target_starts_no_more_and_its_restore_command_is_in_the_report()
    {
        await using var project = await FleetProject.CreateAsync(2);
        var bad = await project.AddDatabaseAsync("probeops_f_" + Guid.NewGuid().ToString("N")[..12] + "_bad");
        var last = await project.AddDatabaseAsync("probeops_f_" + Guid.NewGuid().ToString("N")[..12]);
        project.WriteMigration("20250102_orders.sql", FailOnBad);
        project.WriteTargets(
            "\"onError\": \"stop\"",
            new { name = "first", database = FleetProject.UrlOf(project.Databases[0].Name) },
            new { name = "second", database = FleetProject.UrlOf(project.Databases[1].Name) },
            new { name = "bad", database = FleetProject.UrlOf(bad.Name) },
            new { name = "last", database = FleetProject.UrlOf(last.Name) });

        var output = await project.RunAsync("deploy", "--targets", "targets.json");

        Assert.True(output.ExitCode == 8, output.ToString());
        Assert.Contains("bad [all]", output.Stdout);
        Assert.Contains(output.Stdout.Split('\n'), line => line.StartsWith("last [all] ", StringComparison.Ordinal) && line.EndsWith(": skipped", StringComparison.Ordinal));
        Assert.True(await FleetProject.HasTableAsync(project.Databases[1], "public.orders"));
        Assert.False(await FleetProject.HasTableAsync(bad, "public.accounts"), "the failed target was rolled back");
        Assert.False(await FleetProject.HasTableAsync(last, "public.accounts"), "no target starts after a failure");

        var targets = project.FleetReport().GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["succeeded", "succeeded", "failed", "skipped"], targets.Select(t => t.GetProperty("outcome").GetString()));
        Assert.Equal(JsonValueKind.Null, targets[3].GetProperty("exitCode").ValueKind);
        var restore = targets[2].GetProperty("restoreCommand").GetString();
        Assert.NotNull(restore);
        Assert.Contains("--confirm", restore);
        Assert.Contains(bad.Name, restore);
        Assert.Contains(restore, output.Stderr);
        var markdown = File.ReadAllText(Assert.Single(Directory.GetFiles(project.Dir.Combine("deployment_logs"), "*_fleet-*.md")));
        Assert.Contains(restore, markdown);
    }

    [Fact]
    public async Task With_onError_continue_every_target_runs_and_the_exit_code_is_the_first_failed_targets()
    {
        await using var project = await FleetProject.CreateAsync(1);
        var bad = await project.AddDatabaseAsync("probeops_f_" + Guid.NewGuid().ToString("N")[..12] + "_bad");
        var last = await project.AddDatabaseAsync("probeops_f_" + Guid.NewGuid().ToString("N")[..12]);
        project.WriteMigration("20250102_orders.sql", FailOnBad);
        project.WriteTargets(
            "\"onError\": \"continue\", \"parallel\": 2",
            new { name = "first", database = FleetProject.UrlOf(project.Databases[0].Name) },
            new { name = "bad", database = FleetProject.UrlOf(bad.Name) },
            new { name = "last", database = FleetProject.UrlOf(last.Name) });

        var output = await project.RunAsync("deploy", "--targets", "targets.json", "--json");

        Assert.True(output.ExitCode == 8, output.ToString());
        var targets = JsonDocument.Parse(output.Stdout).RootElement.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["succeeded", "failed", "succeeded"], targets.Select(t => t.GetProperty("outcome").GetString()));
        Assert.Equal(8, targets[1].GetProperty("exitCode").GetInt32());
        Assert.True(await FleetProject.HasTableAsync(last, "public.orders"));
        Assert.False(await FleetProject.HasTableAsync(bad, "public.accounts"));
    }

    [Fact]
    public async Task Tenant_schemas_in_one_database_deploy_in_parallel_each_with_its_own_history_and_lock()
    {
        await using var project = await FleetProject.CreateAsync(1);
        var database = project.Databases[0];
        string[] tenants = ["tenant_a", "tenant_b", "tenant_c", "tenant_d"];

        // A barrier: each tenant's migration counts itself in (a sequence, which no transaction hides) and waits until
        // all four have. Run one after the other, the first would wait alone and record 1. (A replay into a shadow
        // database, for the drift check, does not wait.)
        await FleetProject.ExecAsync(database, "CREATE SEQUENCE public.fleet_arrivals");
        project.WriteMigration("20250102_together.sql", MigrationText.File(
            "20250101_accounts",
            """
            CREATE TABLE together (tenants_arrived bigint NOT NULL);
            DO $$
            DECLARE arrived bigint := 0;
            BEGIN
              IF current_database() NOT LIKE 'probeops\_shadow\_%' THEN
                PERFORM nextval('public.fleet_arrivals');
                FOR i IN 1..1200 LOOP
                  SELECT last_value INTO arrived FROM public.fleet_arrivals;
                  EXIT WHEN arrived >= 4;
                  PERFORM pg_sleep(0.05);
                END LOOP;
              END IF;
              INSERT INTO together VALUES (arrived);
            END $$;
            """));
        project.WriteTargets("\"parallel\": 4", [.. tenants.Select(t => (object)new { name = t, database = FleetProject.UrlOf(database.Name), schema = t })]);

        var output = await project.RunAsync("deploy", "--targets", "targets.json");

        Assert.True(output.ExitCode == 0, output.ToString());
        foreach (var tenant in tenants)
        {
            Assert.True(await FleetProject.HasTableAsync(database, $"{tenant}.accounts"), tenant);
            Assert.Equal(2L, await FleetProject.ScalarAsync<long>(database, $"SELECT count(*) FROM {tenant}.probeops_schema_history"));
            Assert.Equal(4L, await FleetProject.ScalarAsync<long>(database, $"SELECT tenants_arrived FROM {tenant}.together"));
            Assert.Contains($"{tenant} [all] ", output.Stdout);
        }

        Assert.False(await FleetProject.HasTableAsync(database, "public.accounts"));
        Assert.False(await FleetProject.HasTableAsync(database, "public.probeops_schema_history"));

        // Deployed again: every tenant is up to date and matches its migrations, each checked in its own schema.
        var again = await project.RunAsync("deploy", "--targets", "targets.json", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.All(JsonDocument.Parse(again.Stdout).RootElement.GetProperty("targets").EnumerateArray(),
            t => Assert.Equal("nothing-to-do", t.GetProperty("outcome").GetString()));
    }
}
