using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// <c>backup --keep N</c> and <c>deploy --keep-backups N</c> through the real process: only this
/// database's own backups are pruned, every file of a pruned backup goes, and nothing else does.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BackupRetentionCliTests
{
    private static JsonElement Json(CliOutput output) => JsonDocument.Parse(output.Stdout).RootElement;

    private static string[] Removed(JsonElement backup) =>
        [.. backup.GetProperty("removed").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];

    private static string Stem(string dump) => dump[..^".dump".Length];

    /// <summary>Every file of the backup <paramref name="dump"/>: its name up to <c>.dump</c>, then a dot.</summary>
    private static string[] FilesOf(string dump) =>
        [.. Directory.GetFiles(Path.GetDirectoryName(dump)!, Path.GetFileName(Stem(dump)) + ".*").Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Keep_prunes_only_this_databases_backups_with_every_file_of_each()
    {
        await using var project = await DeployProject.CreateAsync();
        await using var longerName = await PostgresServer.Shared.CreateDatabaseNamedAsync(project.Database.Name + "_test");
        var other = new Dictionary<string, string?> { ["DATABASE_URL"] = longerName.Url };
        Assert.Equal(0, (await project.RunAsync("upgrade", "20250101_accounts")).ExitCode);
        var otherBackup = await project.RunWithAsync(other, "backup", "--json");
        Assert.True(otherBackup.ExitCode == 0, otherBackup.ToString());
        var otherFiles = FilesOf(Json(otherBackup).GetProperty("path").GetString()!);

        var first = Json(await project.RunAsync("backup", "--json")).GetProperty("path").GetString()!;
        var sidecar = project.Dir.Write("backups/" + Path.GetFileName(Stem(first)) + ".schema.json", "{}");
        var notOurs = project.Dir.Write("backups/" + project.Database.Name + "_notes.dump", "kept by hand");
        var firstFiles = FilesOf(first);
        Assert.Contains(sidecar, firstFiles);
        Assert.Equal(0, (await project.RunAsync("upgrade", "20250102_orders")).ExitCode);

        var second = await project.RunAsync("backup", "--keep", "1", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(firstFiles, Removed(Json(second)));
        Assert.All(firstFiles, f => Assert.False(File.Exists(f), f));
        var secondPath = Json(second).GetProperty("path").GetString()!;
        Assert.True(File.Exists(secondPath));
        Assert.True(File.Exists(secondPath + ".sha256"));
        Assert.All(otherFiles, f => Assert.True(File.Exists(f), f));
        Assert.True(File.Exists(notOurs));

        // Human output names what went.
        Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);
        var secondFiles = FilesOf(secondPath);
        var third = await project.RunAsync("backup", "--keep", "1");

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.All(secondFiles, f => Assert.Contains("removed " + Path.Combine("backups", Path.GetFileName(f)), third.Stdout));
        Assert.All(otherFiles, f => Assert.True(File.Exists(f), f));
        // The other database's backup, the newest of this one, and the file put there by hand.
        Assert.Equal(3, project.Backups().Length);
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Failed_deploy_with_keep_backups_keeps_its_own_backup_for_the_printed_restore_command()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 2);
        await using var longerName = await PostgresServer.Shared.CreateDatabaseNamedAsync(project.Database.Name + "_test");
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        var earlier = Assert.Single(project.Backups());
        var earlierFiles = FilesOf(earlier);
        var otherBackup = await project.RunWithAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = longerName.Url }, "backup", "--json");
        Assert.True(otherBackup.ExitCode == 0, otherBackup.ToString());
        var otherFiles = FilesOf(Json(otherBackup).GetProperty("path").GetString()!);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'before');");
        project.WriteMigration("20250103_broken.sql", MigrationText.File("20250102_orders", "SELECT 1 / 0;"));

        var failed = await project.RunAsync("deploy", "--keep-backups", "1");

        Assert.True(failed.ExitCode == 8, failed.ToString());
        var report = JsonDocument.Parse(File.ReadAllText(project.Logs(".json")[^1])).RootElement;
        var backup = report.GetProperty("backup");
        var path = backup.GetProperty("path").GetString()!;
        Assert.True(File.Exists(path), $"the backup of the failed deploy is gone: {path}");
        Assert.Equal(earlierFiles, Removed(backup));
        Assert.All(earlierFiles, f => Assert.False(File.Exists(f), f));
        Assert.All(otherFiles, f => Assert.True(File.Exists(f), f));
        Assert.Contains(Path.GetFileName(earlier), File.ReadAllText(project.Logs(".log")[^1]));

        await project.ExecAsync("UPDATE accounts SET name = 'after';");
        // The printed command masks the password: put it back, as its note tells the user to.
        var restoreCommand = report.GetProperty("restoreCommand").GetString()!.Replace("***", project.Password, StringComparison.Ordinal);
        var restored = await project.RunShellAsync(restoreCommand);

        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal("before", await project.ScalarAsync<string>("SELECT name FROM accounts"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Keep_on_sqlite_leaves_the_backups_of_a_database_whose_name_extends_this_one()
    {
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);"));
        var app = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app" };
        var appTest = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app_test" };
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, appTest, "upgrade")).ExitCode);
        var otherPath = Json(await CliProcess.RunAsync(dir.Path, appTest, "backup", "--json")).GetProperty("path").GetString()!;
        var otherFiles = FilesOf(otherPath);
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, app, "upgrade", "+1")).ExitCode);
        var first = Json(await CliProcess.RunAsync(dir.Path, app, "backup", "--json")).GetProperty("path").GetString()!;
        var firstFiles = FilesOf(first);
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, app, "upgrade")).ExitCode);

        var second = await CliProcess.RunAsync(dir.Path, app, "backup", "--keep", "1", "--json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(firstFiles, Removed(Json(second)));
        Assert.True(File.Exists(Json(second).GetProperty("path").GetString()!));
        Assert.All(otherFiles, f => Assert.True(File.Exists(f), f));
        Assert.EndsWith("_20250102_b.dump", Assert.Single(Directory.GetFiles(dir.Combine("backups"), "app_2*.dump")), StringComparison.Ordinal);
    }
}
