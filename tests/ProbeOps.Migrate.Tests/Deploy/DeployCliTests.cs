using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>The safe deploy of SPEC §6 through the real process against real PostgreSQL, one database per test.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeployCliTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public async Task Deploy_from_scratch_backs_up_applies_and_logs_then_a_second_deploy_is_a_no_op()
    {
        await using var project = await DeployProject.CreateAsync();

        var first = await project.RunAsync("deploy");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Deployed 3 migrations", first.Stdout);
        var backup = Assert.Single(project.Backups());
        Assert.Equal(Private, File.GetUnixFileMode(backup));
        // Every file of the backup is private: the checksum, the manifest, the schema beside it.
        var stem = Path.Combine(Path.GetDirectoryName(backup)!, Path.GetFileNameWithoutExtension(backup));
        Assert.All(Directory.GetFiles(Path.GetDirectoryName(backup)!, Path.GetFileName(stem) + ".*"), f => Assert.Equal(Private, File.GetUnixFileMode(f)));
        Assert.True(File.Exists(stem + BackupSchemaFile.Extension), "no schema beside the backup");
        Assert.EndsWith("_base.dump", backup, StringComparison.Ordinal);
        var recorded = File.ReadAllText(backup + BackupService.ChecksumExtension).Split(' ')[0];
        Assert.Equal(await BackupService.Sha256Async(backup, CancellationToken.None), recorded);
        Assert.Single(project.Logs(".log"));
        Assert.Single(project.Logs(".md"));
        var report = ReadJson(Assert.Single(project.Logs(".json")));
        Assert.Equal("succeeded", report.GetProperty("outcome").GetString());
        Assert.Equal(3, report.GetProperty("applied").GetArrayLength());
        Assert.Equal(backup, report.GetProperty("backup").GetProperty("path").GetString());
        Assert.Equal(["20250101_accounts", "20250102_orders", "20250103_order_index"], await project.HistoryAsync());

        var second = await project.RunAsync("deploy");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Nothing to deploy", second.Stdout);
        Assert.Single(project.Backups());
        Assert.Equal(2, project.Logs(".log").Length);
        Assert.Equal(2, project.Logs(".json").Length);
        Assert.Equal(2, project.Logs(".md").Length);
        Assert.Equal("nothing-to-do", ReadJson(project.Logs(".json")[1]).GetProperty("outcome").GetString());
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Client_older_than_the_server_stops_with_exit_5_naming_both_versions()
    {
        await using var project = await DeployProject.CreateAsync();
        var bin = FakeClientTools.WriteVersionOnly(project.Dir.Combine("old-client"), "9.6.0");
        var server = await project.ServerVersionAsync();

        var output = await project.RunAsync("deploy", "--pg-bin-dir", bin);

        Assert.True(output.ExitCode == 5, output.ToString());
        Assert.Contains("pg_dump 9.6.0 cannot back up PostgreSQL " + server, output.Stderr);
        Assert.Contains($"postgresql-client-{server.Split('.')[0]}", output.Stderr);
        Assert.Contains("Nothing was changed", output.Stderr);
        Assert.Empty(await project.TablesAsync());
        Assert.Empty(project.Backups());
        Assert.Equal(5, ReadJson(Assert.Single(project.Logs(".json"))).GetProperty("exitCode").GetInt32());
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Client_older_than_the_server_is_only_a_warning_without_a_backup()
    {
        await using var project = await DeployProject.CreateAsync();
        var bin = FakeClientTools.WriteVersionOnly(project.Dir.Combine("old-client"), "9.6.0");

        var output = await project.RunAsync("deploy", "--pg-bin-dir", bin, "--no-backup");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("warning: pg_dump 9.6.0 cannot back up PostgreSQL", output.Stderr);
        Assert.Contains("warning: No backup was taken (--no-backup).", output.Stderr);
        Assert.Equal(3, (await project.HistoryAsync()).Count);
        Assert.Empty(project.Backups());
    }

    [Fact]
    public async Task Backup_directory_that_cannot_be_created_stops_with_exit_6_before_any_change()
    {
        await using var project = await DeployProject.CreateAsync();
        var blocker = project.Dir.Write("not-a-directory", "a file");

        var output = await project.RunAsync("deploy", "--backup-dir", Path.Combine(blocker, "backups"));

        Assert.True(output.ExitCode == 6, output.ToString());
        Assert.Contains($"{blocker} is a file, not a directory", output.Stderr);
        Assert.Empty(await project.TablesAsync());
        Assert.Empty(await project.HistoryAsync());
        var report = ReadJson(Assert.Single(project.Logs(".json")));
        Assert.Equal("failed", report.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("restoreCommand").ValueKind);
    }

    [Fact]
    public async Task Log_directory_that_cannot_be_written_stops_with_exit_2_before_connecting()
    {
        await using var project = await DeployProject.CreateAsync();
        // Under a regular file no directory can be made, by root either (tests may run as root, which
        // ignores permission bits); a regular file in place of the directory is refused the same way.
        var blocker = project.Dir.Write("not-a-directory", "a file");

        foreach (var logDir in new[] { Path.Combine(blocker, "logs"), blocker })
        {
            var output = await project.RunAsync("deploy", "--log-dir", logDir);

            Assert.True(output.ExitCode == 2, output.ToString());
            // One line and nothing else: no stage ran, not even validation, and no log was attempted.
            var error = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: The deployment log directory {logDir} cannot be written", error, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed.", error);
        }

        Assert.Empty(await project.TablesAsync());
        Assert.Empty(project.Backups());
    }

    [Fact]
    public async Task Preflight_passes_on_a_fresh_database_and_changes_nothing()
    {
        await using var project = await DeployProject.CreateAsync();

        var output = await project.RunAsync("preflight");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("Preflight passed: 3 migrations pending.", output.Stdout);
        foreach (var stage in new[] { "validate", "connect", "versions", "inspect", "plan" })
        {
            Assert.Contains(stage, output.Stderr);
        }

        Assert.DoesNotContain("backup  ", output.Stderr);
        Assert.Empty(await project.TablesAsync());
        Assert.False(Directory.Exists(project.BackupsDirectory));
    }

    [Fact]
    public async Task Preflight_exits_3_when_an_applied_migration_was_edited()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        project.WriteMigration("20250102_orders.sql", MigrationText.File("20250101_accounts", "CREATE TABLE orders (id bigint PRIMARY KEY);"));

        var preflight = await project.RunAsync("preflight");
        var deploy = await project.RunAsync("deploy");

        Assert.True(preflight.ExitCode == 3, preflight.ToString());
        Assert.Contains("20250102_orders", preflight.Stderr);
        Assert.True(deploy.ExitCode == 3, deploy.ToString());
        Assert.Single(project.Backups());
    }

    [Fact]
    public async Task Wrong_password_exits_4_and_no_password_appears_anywhere()
    {
        await using var project = await DeployProject.CreateAsync();
        var wrongUrl = project.Database.Url.Replace(":" + project.Password + "@", ":Wrong-Pass-4711@", StringComparison.Ordinal);

        var output = await project.RunWithAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = wrongUrl }, "deploy");
        var json = await project.RunWithAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = wrongUrl }, "deploy", "--json");

        Assert.True(output.ExitCode == 4, output.ToString());
        Assert.Equal(4, json.ExitCode);
        Assert.Contains("postgres://postgres:***@", output.Stderr);
        Assert.DoesNotContain("Wrong-Pass-4711", output.All + json.All);
        foreach (var file in Directory.GetFiles(project.LogsDirectory))
        {
            Assert.DoesNotContain("Wrong-Pass-4711", File.ReadAllText(file));
        }

        project.AssertNoPasswordLeaked();
    }
}
