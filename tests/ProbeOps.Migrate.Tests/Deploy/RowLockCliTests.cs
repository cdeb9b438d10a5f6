using System.Diagnostics;
using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// The lock row through the real tool, forced with PROBEOPS_LOCK=row on PostgreSQL. A migration waits on
/// a gate the test holds (an advisory lock of its own), so a run is held mid-way for as long as the test needs.
/// </summary>
[UnsupportedOSPlatform("windows")]
public class RowLockCliTests
{
    private const long Gate = 4242;
    private const string Marker = "row_lock_gate";
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    private static Dictionary<string, string?> RowLock(string lease) =>
        new() { ["PROBEOPS_LOCK"] = "row", ["PROBEOPS_LOCK_LEASE"] = lease };

    /// <summary>A project at its first revision, with a second one that waits on the gate.</summary>
    private static async Task<DeployProject> GatedProjectAsync()
    {
        var project = await DeployProject.CreateAsync(migrations: 1);
        var first = await project.RunWithAsync(RowLock("30s"), "upgrade");
        Assert.True(first.ExitCode == 0, first.ToString());
        project.WriteMigration(
            "20250102_gated.sql",
            MigrationText.File("20250101_accounts", $"CREATE TABLE gated (id int);\nSELECT pg_advisory_xact_lock({Gate}) AS {Marker};", "DROP TABLE gated;"));
        return project;
    }

    private static async Task<NpgsqlConnection> HoldGateAsync(DeployProject project)
    {
        var connection = await PostgresServer.Shared.OpenConnectionAsync(project.Database);
        await using var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({Gate})", connection);
        await hold.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Waits until <paramref name="sql"/> is true; fails if <paramref name="run"/> ends first.</summary>
    private static async Task WaitUntilAsync(DeployProject project, string sql, Process run)
    {
        using var timeout = new CancellationTokenSource(Guard);
        while (await project.ScalarAsync<bool>(sql) is false)
        {
            Assert.False(run.HasExited, $"the run ended before: {sql}");
            await Task.Delay(50, timeout.Token);
        }
    }

    private static Task WaitUntilGatedAsync(DeployProject project, Process run) =>
        WaitUntilAsync(project, $"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%{Marker}%')", run);

    private static async Task<CliOutput> FinishAsync(Process run)
    {
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Guard);
        await run.WaitForExitAsync(timeout.Token);
        return new CliOutput(run.ExitCode, await stdout, await stderr);
    }

    private static Process Start(DeployProject project, Dictionary<string, string?> environment, params string[] args)
    {
        environment["DATABASE_URL"] = project.Database.Url;
        return CliProcess.Start(project.Dir.Path, environment, args);
    }

    [Fact]
    public async Task Runs_under_the_row_lock_serialise_the_holder_renews_and_a_short_wait_exits_7()
    {
        await using var project = await GatedProjectAsync();
        await using var gate = await HoldGateAsync(project);
        var holder = Start(project, RowLock("1s"), "upgrade", "--lock-timeout", "0");
        var holderOutput = FinishAsync(holder);
        await WaitUntilGatedAsync(project, holder);

        // Renewed past its first lease of one second while the migration waits.
        await WaitUntilAsync(project, "SELECT coalesce((SELECT now() > acquired_at + interval '2 s' AND expires_at > now() FROM probeops_schema_history_lock), false)", holder);
        var impatient = await project.RunWithAsync(RowLock("1s"), "upgrade", "--wait-for-lock", "1s", "--lock-timeout", "0");
        Assert.True(impatient.ExitCode == 7, impatient.ToString());
        Assert.Contains("holds the migration lock row", impatient.Stderr, StringComparison.Ordinal);
        Assert.Contains("--wait-for-lock", impatient.Stderr, StringComparison.Ordinal);

        // A patient run waits its turn: both its session and its lock connection are open meanwhile.
        var patient = Start(project, RowLock("1s"), "upgrade", "--wait-for-lock", "5m", "--lock-timeout", "0");
        var patientOutput = FinishAsync(patient);
        await WaitUntilAsync(project, "SELECT count(*) >= 4 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'probeops-migrate'", patient);
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Gate})", gate))
        {
            await release.ExecuteNonQueryAsync();
        }

        var first = await holderOutput;
        var second = await patientOutput;
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(["20250101_accounts", "20250102_gated"], (await project.HistoryAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0L, await project.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history_lock"));
    }

    [Fact]
    public async Task A_killed_holder_leaves_a_lease_that_the_next_run_takes_over_once_it_expires()
    {
        await using var project = await GatedProjectAsync();
        await using var gate = await HoldGateAsync(project);
        var killed = Start(project, RowLock("2s"), "upgrade", "--lock-timeout", "0");
        var killedOutput = FinishAsync(killed);
        await WaitUntilGatedAsync(project, killed);

        killed.Kill(entireProcessTree: true);
        await killedOutput;
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history_lock"));
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Gate})", gate))
        {
            await release.ExecuteNonQueryAsync();
        }

        var next = await project.RunWithAsync(RowLock("2s"), "upgrade", "--wait-for-lock", "1m", "--lock-timeout", "0");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("took over the migration lock row of a run that stopped renewing it", next.Stderr, StringComparison.Ordinal);
        Assert.Equal(["20250101_accounts", "20250102_gated"], (await project.HistoryAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0L, await project.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history_lock"));
    }
}
