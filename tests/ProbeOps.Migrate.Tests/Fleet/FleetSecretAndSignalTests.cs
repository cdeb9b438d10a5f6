using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Fleet;

/// <summary>A fleet's secrets stay secret, and a fleet stopped by a signal ends cleanly and says so.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FleetSecretAndSignalTests
{
    [Fact]
    public async Task A_password_read_from_the_environment_appears_in_no_output_log_or_report()
    {
        await using var project = await FleetProject.CreateAsync(2);
        project.WriteMigration("20250102_broken.sql", MigrationText.File("20250101_accounts", "CREATE TABLE broken (id int REFERENCES missing_table (id));"));
        project.WriteTargets(
            "\"onError\": \"continue\"",
            new { name = "one", database = FleetProject.UrlOf(project.Databases[0].Name) },
            new { name = "two", database = FleetProject.UrlOf(project.Databases[1].Name) },
            new { name = "nowhere", database = FleetProject.UrlOf("no_such_database_here") });

        var deploy = await project.RunAsync("deploy", "--targets", "targets.json");
        var json = await project.RunAsync("deploy", "--targets", "targets.json", "--json");
        var status = await project.RunAsync("status", "--targets", "targets.json");
        var preflight = await project.RunAsync("preflight", "--targets", "targets.json", "--json");

        Assert.True(deploy.ExitCode == 8, deploy.ToString());
        Assert.Equal(8, json.ExitCode);
        Assert.True(status.ExitCode == 4, status.ToString());
        Assert.NotEqual(0, preflight.ExitCode);
        Assert.Contains("error: nowhere:", deploy.Stderr);
        Assert.Contains("restore", deploy.Stderr);
        var password = FleetProject.Password;
        var written = project.EverythingWritten().ToList();
        Assert.True(written.Count > 10, "the outputs, logs and reports were searched");
        Assert.All(written, text => Assert.DoesNotContain(password, text));
        Assert.Contains(written, text => text.Contains(":***@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_variable_the_environment_does_not_set_is_a_usage_error_naming_it_before_any_target_starts()
    {
        await using var project = await FleetProject.CreateAsync(1);
        project.WriteTargets("", new { name = "one", database = FleetProject.UrlOf(project.Databases[0].Name) });

        var output = await project.RunWithAsync(new Dictionary<string, string?>(), "deploy", "--targets", "targets.json");

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains("FLEET_PASSWORD", output.Stderr);
        Assert.Contains("target \"one\"", output.Stderr);
        Assert.False(await FleetProject.HasTableAsync(project.Databases[0], "public.accounts"));
    }

    [Theory]
    [InlineData("{ \"targets\": [ { \"name\": \"a\", \"database\": \"postgres://x@127.0.0.1/a\", \"shema\": \"t\" } ] }", "unknown key \"shema\"")]
    [InlineData("{ \"waves\": [\"canary\"], \"targets\": [ { \"name\": \"a\", \"database\": \"postgres://x@127.0.0.1/a\", \"wave\": \"main\" } ] }", "wave \"main\"")]
    [InlineData("{ \"parallel\": 0, \"targets\": [ { \"name\": \"a\", \"database\": \"postgres://x@127.0.0.1/a\" } ] }", "\"parallel\"")]
    [InlineData("{ \"targets\": [ { \"name\": \"a\", \"database\": \"postgres://x@127.0.0.1/a\" }, { \"name\": \"a\", \"database\": \"postgres://x@127.0.0.1/b\" } ] }", "two targets are named \"a\"")]
    public async Task A_targets_file_with_a_mistake_is_one_line_and_exit_2(string file, string expected)
    {
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));
        dir.Write("targets.json", file);

        var output = await CliProcess.RunAsync(dir.Path, "deploy", "--targets", "targets.json");

        Assert.True(output.ExitCode == 2, output.ToString());
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", output.All);
    }

    [Fact]
    public async Task SIGTERM_in_the_middle_of_a_fleet_rolls_back_the_running_target_starts_no_other_and_reports_it()
    {
        await using var project = await FleetProject.CreateAsync(3);
        var marker = "probeops_fleet_wait_" + Guid.NewGuid().ToString("N")[..8];
        project.WriteMigration("20250102_slow.sql", MigrationText.File(
            "20250101_accounts", $"CREATE TABLE slow (id int);\nSELECT pg_sleep(120) AS {marker};"));
        project.WriteTargets("", [.. project.Databases.Select((d, i) => (object)new { name = $"t{i}", database = FleetProject.UrlOf(d.Name) })]);

        using var process = project.Start("deploy", "--targets", "targets.json");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await WaitForQueryAsync(project.Databases[0], marker, process);

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = new CliOutput(process.ExitCode, await stdout, await stderr);
        project.Keep(output.All);

        Assert.True(output.ExitCode == 1, output.ToString());
        Assert.Contains("interrupted and rolled back: t0", output.Stdout);
        Assert.False(await FleetProject.HasTableAsync(project.Databases[0], "public.accounts"), "the running target rolled back");
        Assert.False(await FleetProject.HasTableAsync(project.Databases[1], "public.accounts"), "no target started after the signal");
        var report = project.FleetReport();
        Assert.True(report.GetProperty("stopRequested").GetBoolean());
        Assert.Equal(["interrupted", "skipped", "skipped"], report.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("outcome").GetString()));
    }

    /// <summary>Waits until the migration's statement runs on <paramref name="database"/> (it is in pg_stat_activity).</summary>
    private static async Task WaitForQueryAsync(TestDatabase database, string marker, Process process)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()", connection);
            command.Parameters.AddWithValue(marker);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.False(process.HasExited, "the tool ended before its migration ran");
            await Task.Delay(50);
        }

        Assert.Fail("the migration never started");
    }
}
