using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary><c>restore</c> refuses a backup it cannot prove intact, through the real process, and changes nothing.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RestoreChecksumCliTests
{
    /// <summary>What a restore could change: every table's rows, the history, and the audit rows so far.</summary>
    private static async Task<string> StateAsync(DeployProject project) =>
        string.Join(
            "\n",
            string.Join(",", await project.TablesAsync()),
            await project.ScalarAsync<string>("SELECT string_agg(id || ':' || name, ',' ORDER BY id) FROM accounts"),
            await project.ScalarAsync<string>("SELECT string_agg(a.attname || ' ' || a.attnotnull, ',' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = 'accounts'::regclass AND a.attnum > 0"),
            string.Join(",", await project.HistoryAsync()),
            await project.ScalarAsync<string>("SELECT string_agg(id || operation || outcome, ',' ORDER BY id) FROM probeops_schema_history_audit"));

    private static void AssertUnchangedBeforeRefusal(string before, string after)
    {
        // A refused restore may add its own audit row (outcome failed); nothing before it changes.
        Assert.StartsWith(before, after, StringComparison.Ordinal);
        Assert.DoesNotContain("restoresucceeded", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_refuses_a_backup_without_its_checksum_file_and_changes_nothing()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        var backup = Assert.Single(project.Backups());
        File.Delete(backup + ".sha256");
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'since the backup');");
        var before = await StateAsync(project);

        var refused = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);

        Assert.True(refused.ExitCode == 6, refused.ToString());
        Assert.Contains($"{backup}.sha256", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
        AssertUnchangedBeforeRefusal(before, await StateAsync(project));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Restore_of_a_cut_archive_with_a_matching_checksum_reads_it_through_and_changes_nothing()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        var backup = Assert.Single(project.Backups());
        await project.ExecAsync("INSERT INTO accounts SELECT g, md5(g::text) FROM generate_series(1, 20000) g;");
        var taken = await project.RunAsync("backup", "--output", backup + ".full");
        Assert.True(taken.ExitCode == 0, taken.ToString());

        // Cut in the data, with a checksum written for the cut file: only reading the archive through can tell.
        var bytes = await File.ReadAllBytesAsync(backup + ".full");
        await File.WriteAllBytesAsync(backup, bytes[..(bytes.Length * 3 / 4)]);
        await File.WriteAllTextAsync(backup + ".sha256", $"{await ProbeOps.Migrate.Deploy.BackupService.Sha256Async(backup, CancellationToken.None)}  {Path.GetFileName(backup)}\n");
        await project.ExecAsync("DELETE FROM accounts WHERE id > 10; CREATE TABLE since_the_backup (id int);");
        var before = await StateAsync(project);

        var refused = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);

        Assert.True(refused.ExitCode == 6, refused.ToString());
        Assert.Contains($"pg_restore could not read {backup}", refused.Stderr);
        Assert.Contains("the database is unchanged", refused.Stderr);
        Assert.DoesNotContain("   at ", refused.Stderr);
        AssertUnchangedBeforeRefusal(before, await StateAsync(project));
        Assert.Contains("since_the_backup", await project.TablesAsync());
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Restore_refuses_a_backup_whose_schema_text_was_edited_with_or_without_its_checksum_file()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'current');");
        var taken = await project.RunAsync("backup", "--json");
        Assert.True(taken.ExitCode == 0, taken.ToString());
        var backup = JsonDocument.Parse(taken.Stdout).RootElement.GetProperty("path").GetString()!;

        // The table definitions sit uncompressed in the archive: drop a NOT NULL, keeping the length.
        var bytes = File.ReadAllBytes(backup);
        var from = Encoding.ASCII.GetBytes("name text NOT NULL");
        var at = bytes.AsSpan().IndexOf(from);
        Assert.True(at > 0, "the archive holds the table definition as text");
        Encoding.ASCII.GetBytes("name text     NULL").CopyTo(bytes, at);
        File.WriteAllBytes(backup, bytes);
        var before = await StateAsync(project);

        var mismatch = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);
        File.Delete(backup + ".sha256");
        var missing = await project.RunAsync("restore", backup, "--confirm", project.Database.Name, "--json");

        Assert.True(mismatch.ExitCode == 6, mismatch.ToString());
        Assert.Contains("does not match its checksum", mismatch.Stderr);
        Assert.True(missing.ExitCode == 6, missing.ToString());
        Assert.False(JsonDocument.Parse(missing.Stdout).RootElement.GetProperty("ok").GetBoolean());
        AssertUnchangedBeforeRefusal(before, await StateAsync(project));
        Assert.True(await project.ScalarAsync<bool>("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'name'"));
    }

    [Fact]
    public async Task Restore_on_sqlite_refuses_a_backup_without_its_checksum_file()
    {
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, env, "upgrade")).ExitCode);
        var backup = await CliProcess.RunAsync(dir.Path, env, "backup", "--json");
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var path = JsonDocument.Parse(backup.Stdout).RootElement.GetProperty("path").GetString()!;
        File.Delete(path + ".sha256");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + dir.Combine("app.db") + ";Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO a VALUES (42)";
            insert.ExecuteNonQuery();
        }

        var refused = await CliProcess.RunAsync(dir.Path, env, "restore", path, "--confirm", "app.db");

        Assert.True(refused.ExitCode == 6, refused.ToString());
        Assert.Contains(".sha256", refused.Stderr);
        using var check = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + dir.Combine("app.db") + ";Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM a WHERE id = 42";
        Assert.Equal(1L, (long)count.ExecuteScalar()!);
    }
}
