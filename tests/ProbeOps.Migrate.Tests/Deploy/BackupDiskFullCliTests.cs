using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// A backup directory on a real file system that runs out of room (a small tmpfs): exit 6 with one
/// line, no partial file left, nothing changed, and a deploy still writes its deployment log.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BackupDiskFullCliTests
{
    [Fact]
    public async Task No_room_for_the_checksum_file_is_exit_6_with_no_partial_files_and_a_deployment_log()
    {
        await using var project = await DeployProject.CreateAsync();
        // Two inodes: the mount's own directory and the dump; the checksum file finds none.
        using var full = TmpfsMount.Create(project.BackupsDirectory, bytes: 16 << 20, inodes: 2);

        var output = await project.RunAsync("deploy");

        Assert.True(output.ExitCode == 6, output.ToString());
        Assert.Contains("no space left on device", output.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output.Stderr);
        Assert.DoesNotContain("Unexpected", output.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(project.BackupsDirectory));
        Assert.Empty(await project.HistoryAsync());
        Assert.False(await project.TableExistsAsync("accounts"));
        var report = JsonDocument.Parse(File.ReadAllText(Assert.Single(project.Logs(".json")))).RootElement;
        Assert.Equal(6, report.GetProperty("exitCode").GetInt32());
        var stage = report.GetProperty("stages").EnumerateArray().Last();
        Assert.Equal("backup", stage.GetProperty("name").GetString());
        Assert.Equal("failed", stage.GetProperty("outcome").GetString());
        Assert.Single(project.Logs(".log"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Disk_full_during_the_dump_is_exit_6_with_no_partial_file()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 1);
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 20000) g;");
        using var full = TmpfsMount.Create(project.BackupsDirectory, bytes: 128 << 10);

        var output = await project.RunAsync("backup");

        Assert.True(output.ExitCode == 6, output.ToString());
        Assert.Contains("no space left on device", output.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(output.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(project.BackupsDirectory));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Sqlite_backup_on_a_full_disk_is_exit_6_with_no_partial_file()
    {
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_a.sql", MigrationText.File(
            null,
            "CREATE TABLE a (v BLOB);\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO a SELECT randomblob(200) FROM n;"));
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, env, "upgrade")).ExitCode);
        using var full = TmpfsMount.Create(dir.Combine("backups"), bytes: 128 << 10);

        var output = await CliProcess.RunAsync(dir.Path, env, "backup");

        Assert.True(output.ExitCode == 6, output.ToString());
        Assert.DoesNotContain("   at ", output.Stderr);
        Assert.Single(output.Stderr.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("backups")));
    }
}
