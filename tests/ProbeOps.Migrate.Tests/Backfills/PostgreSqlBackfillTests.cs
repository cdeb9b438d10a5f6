using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Tests.Backfills;

/// <summary>
/// Backfills on a real PostgreSQL server through the real command-line process: a large backfill completes
/// before the child revision runs, a killed or terminated run resumes without running the upgrade again, and a
/// failing run keeps what earlier runs committed.
/// </summary>
public sealed partial class PostgreSqlBackfillTests
{
    private const int LargeTable = 300_000;

    [Fact]
    public async Task A_backfill_over_300k_rows_completes_before_the_child_revision_runs()
    {
        await using var project = await BackfillProject.CreateAsync(LargeTable, batch: 5000);

        var output = await project.RunAsync("upgrade", "--json");

        Assert.True(output.ExitCode == 0, output.ToString());
        using var json = JsonDocument.Parse(output.Stdout);
        var backfill = Assert.Single(json.RootElement.GetProperty("backfills").EnumerateArray());
        Assert.Equal(BackfillProject.Backfill, backfill.GetProperty("revision").GetString());
        Assert.Equal(LargeTable, backfill.GetProperty("rows").GetInt64());
        Assert.Equal(LargeTable / 5000 + 1, backfill.GetProperty("runs").GetInt64());
        Assert.True(backfill.GetProperty("finished").GetBoolean());

        // The child's SET NOT NULL would have failed on any row the backfill had not reached.
        Assert.Equal(LargeTable, await project.DoneAsync());
        Assert.Equal([BackfillProject.Base, BackfillProject.Backfill, BackfillProject.Child], await project.HistoryAsync());
        Assert.Equal(0L, await project.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history WHERE backfill_statement IS NOT NULL"));
        Assert.Equal(1L, await project.UpgradeRunsAsync());
    }

    [Fact]
    public async Task A_run_killed_mid_backfill_is_resumed_by_the_next_upgrade_without_running_the_upgrade_section_again()
    {
        await using var project = await BackfillProject.CreateAsync(LargeTable, batch: 1000, options: "pause:50ms");
        using var process = project.Start("upgrade");
        await project.WaitForCommittedRowsAsync(process);

        process.Kill(); // SIGKILL: no cleanup of any kind
        await process.WaitForExitAsync();
        var doneAtKill = await project.DoneAsync();
        Assert.InRange(doneAtKill, 1, LargeTable - 1);
        await AssertBackfillingAsync(project);

        var rerun = await project.RunAsync("upgrade", "--wait-for-lock", "120s");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"backfill {BackfillProject.Backfill}: ", rerun.Stdout, StringComparison.Ordinal);
        Assert.Contains("resumed at statement 1 of 1", rerun.Stdout, StringComparison.Ordinal);
        Assert.Equal(LargeTable, await project.DoneAsync());
        Assert.Equal(1L, await project.UpgradeRunsAsync());
        Assert.Equal([BackfillProject.Base, BackfillProject.Backfill, BackfillProject.Child], await project.HistoryAsync());
    }

    [Fact]
    public async Task A_terminated_session_mid_backfill_fails_with_exit_8_saying_what_stays_committed_and_a_rerun_finishes()
    {
        await using var project = await BackfillProject.CreateAsync(LargeTable, batch: 1000, options: "pause:50ms");
        using var process = project.Start("upgrade");
        var stderr = process.StandardError.ReadToEndAsync();
        await project.WaitForCommittedRowsAsync(process);

        await project.ScalarAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'probeops-migrate%'");
        await process.WaitForExitAsync();

        Assert.Equal(8, process.ExitCode);
        var error = await stderr;
        Assert.Contains($"backfill of {BackfillProject.Backfill} failed at {BackfillProject.Backfill}.sql:", error, StringComparison.Ordinal);
        var committed = CommittedRows().Match(error);
        Assert.True(committed.Success, error);
        var done = await project.DoneAsync();

        // The message counts the runs it saw commit; one more may have committed as the session was cut.
        Assert.Contains(long.Parse(committed.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture), new[] { done, done - 1000 });
        await AssertBackfillingAsync(project);

        var rerun = await project.RunAsync("upgrade", "--wait-for-lock", "120s");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(LargeTable, await project.DoneAsync());
        Assert.Equal(1L, await project.UpgradeRunsAsync());
        Assert.Equal([BackfillProject.Base, BackfillProject.Backfill, BackfillProject.Child], await project.HistoryAsync());
    }

    [Fact]
    public async Task A_failing_run_is_exit_8_naming_the_statement_and_keeps_the_rows_of_earlier_runs_then_downgrade_reverts_it()
    {
        // Runs 1-5 change ids 1-5000; run 6 reaches id 5001, which the trigger refuses.
        await using var project = await BackfillProject.CreateAsync(20_000, batch: 1000, refuseId: 5001);

        var failed = await project.RunAsync("upgrade");

        Assert.Equal(8, failed.ExitCode);
        Assert.Contains($"{BackfillProject.Backfill}.sql:8 (statement 1 of 1): item 5001 is refused", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("the 5,000 rows changed by its 5 earlier runs stay committed", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("    8 | UPDATE items SET is_failure", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal(5000, await project.DoneAsync());
        await AssertBackfillingAsync(project);
        Assert.Equal("failed", await project.ScalarAsync<string>("SELECT outcome FROM probeops_schema_history_audit ORDER BY id DESC LIMIT 1"));

        var status = await project.RunAsync("status");
        Assert.Contains($"backfilling  {BackfillProject.Backfill}  statement 1 of 1 next", status.Stdout, StringComparison.Ordinal);

        var downgrade = await project.RunAsync("downgrade", BackfillProject.Base);

        Assert.True(downgrade.ExitCode == 0, downgrade.ToString());
        Assert.Contains($"note: {BackfillProject.Backfill}'s backfill had not finished", downgrade.Stdout, StringComparison.Ordinal);
        Assert.Equal([BackfillProject.Base], await project.HistoryAsync());
        Assert.Equal(0, await project.DoneAsync());
    }

    [Fact]
    public async Task Sql_prints_each_backfill_statement_after_its_commit_with_a_comment_and_dry_run_runs_one_batch()
    {
        await using var project = await BackfillProject.CreateAsync(20_000, batch: 1000);

        var sql = await project.RunAsync("upgrade", "--sql");

        Assert.True(sql.ExitCode == 0, sql.ToString());
        Assert.Matches(
            @"COMMIT;\n\n-- backfill 20250102_mark_failures\n-- repeats, each run in its own transaction, until a run changes no row:\nUPDATE items SET is_failure",
            sql.Stdout);
        Assert.Contains("SET backfill_statement = NULL WHERE revision = '20250102_mark_failures';\nBEGIN;", sql.Stdout, StringComparison.Ordinal);

        var dryRun = await project.RunAsync("upgrade", BackfillProject.Backfill, "--dry-run", "--json");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        using var json = JsonDocument.Parse(dryRun.Stdout);
        var backfill = Assert.Single(json.RootElement.GetProperty("backfills").EnumerateArray());
        Assert.Equal(1, backfill.GetProperty("runs").GetInt64());
        Assert.Equal(1000, backfill.GetProperty("rows").GetInt64());
        Assert.Null(await project.ScalarAsync<string>("SELECT to_regclass('items')::text"));
    }

    [Fact]
    public async Task Deploy_resumes_a_backfill_and_its_reports_list_runs_rows_and_time()
    {
        await using var project = await BackfillProject.CreateAsync(20_000, batch: 1000, refuseId: 5001);
        Assert.Equal(8, (await project.RunAsync("upgrade")).ExitCode);
        await project.AllowAllAsync();

        var deploy = await project.RunAsync("deploy", "--no-backup", "--allow-drift", "--json");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        using var json = JsonDocument.Parse(deploy.Stdout);
        Assert.Equal([BackfillProject.Child], json.RootElement.GetProperty("applied").EnumerateArray().Select(e => e.GetString()));
        var backfill = Assert.Single(json.RootElement.GetProperty("backfills").EnumerateArray());
        Assert.Equal(15_000, backfill.GetProperty("rows").GetInt64());
        Assert.Equal(16, backfill.GetProperty("runs").GetInt64());
        Assert.True(backfill.GetProperty("resumed").GetBoolean());
        Assert.True(backfill.GetProperty("elapsedMs").GetDouble() >= 0);
        var markdown = File.ReadAllText(Directory.GetFiles(project.Dir.Combine("deployment_logs"), "*.md").Single());
        Assert.Contains($"| `{BackfillProject.Backfill}` | 16 | 15,000 |", markdown, StringComparison.Ordinal);
        Assert.Equal(20_000, await project.DoneAsync());
        Assert.Equal(1L, await project.UpgradeRunsAsync());
    }

    private static async Task AssertBackfillingAsync(BackfillProject project)
    {
        var status = await project.RunAsync("status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using var json = JsonDocument.Parse(status.Stdout);
        var backfilling = Assert.Single(json.RootElement.GetProperty("backfilling").EnumerateArray());
        Assert.Equal(BackfillProject.Backfill, backfilling.GetProperty("revision").GetString());
        Assert.Equal(1, backfilling.GetProperty("nextStatement").GetInt32());
        Assert.False(json.RootElement.GetProperty("upToDate").GetBoolean());

        // The child waits for its parent's backfill.
        Assert.Equal([BackfillProject.Child], json.RootElement.GetProperty("pending").EnumerateArray().Select(e => e.GetString()));
    }

    [GeneratedRegex(@"the ([\d,]+) rows changed by its [\d,]+ earlier runs stay committed")]
    private static partial Regex CommittedRows();
}
