using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>Failed deploys and their restore command, backup, restore and reset, through the real process against real PostgreSQL.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RestoreCliTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public async Task Failing_migration_exits_8_and_its_printed_restore_command_restores_the_backup()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 2);
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'kept'), (2, 'also kept'); INSERT INTO orders VALUES (10, 1);");
        project.WriteMigration("20250103_broken.sql", MigrationText.File("20250102_orders", "CREATE TABLE half_done (id int);\nSELECT 1 / 0;"));

        var failed = await project.RunAsync("deploy");

        Assert.True(failed.ExitCode == 8, failed.ToString());
        Assert.Contains("division by zero", failed.Stderr);
        Assert.False(await project.TableExistsAsync("half_done"));
        Assert.Equal(["20250101_accounts", "20250102_orders"], await project.HistoryAsync());
        var report = ReadJson(project.Logs(".json")[^1]);
        Assert.Equal("failed", report.GetProperty("outcome").GetString());
        Assert.Equal(8, report.GetProperty("exitCode").GetInt32());
        var restoreCommand = report.GetProperty("restoreCommand").GetString()!;
        var backup = project.Backups()[^1];
        Assert.Equal(backup, report.GetProperty("backup").GetProperty("path").GetString());
        // The command names the database it restores, password masked.
        var masked = project.Database.Url.Replace(":" + project.Password + "@", ":***@", StringComparison.Ordinal);
        Assert.StartsWith($"probeops-migrate restore '{backup}' --database '{masked}' --confirm '{project.Database.Name}'", restoreCommand, StringComparison.Ordinal);
        Assert.True(report.GetProperty("restorePasswordMasked").GetBoolean());
        Assert.Contains($"(put the database password in place of *** before running it): {restoreCommand}", failed.Stderr);
        Assert.Contains("20250102_orders", Path.GetFileName(backup));

        // The data changes after the failure. The printed command, with the password put back, brings back the
        // state before the deploy, even where DATABASE_URL names another database, which it leaves alone.
        await project.ExecAsync("DELETE FROM orders; DELETE FROM accounts WHERE id = 2; UPDATE accounts SET name = 'changed';");
        await using var other = await PostgresServer.Shared.CreateDatabaseAsync();
        var restored = await project.RunShellAsync(
            restoreCommand.Replace("***", project.Password, StringComparison.Ordinal),
            new Dictionary<string, string?> { ["DATABASE_URL"] = other.Url });

        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Contains($"over {masked}", restored.Stdout);
        await using (var connection = await PostgresServer.Shared.OpenConnectionAsync(other))
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection))
        {
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        Assert.Equal("kept,also kept", await project.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM accounts"));
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal(["20250101_accounts", "20250102_orders"], await project.HistoryAsync());
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Restore_command_of_a_failed_sqlite_deploy_names_the_file_by_its_full_path()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_accounts.sql", MigrationText.File(null, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);"));
        var sqlite = new[] { "--database", "sqlite:app.db" };
        Assert.Equal(0, (await project.RunAsync(["deploy", .. sqlite])).ExitCode);
        await SqliteExecAsync(project.Dir.Combine("app.db"), "INSERT INTO accounts VALUES (1, 'kept')");
        project.WriteMigration("20250102_broken.sql", MigrationText.File("20250101_accounts", "CREATE TABLE half_done (id INTEGER);\nINSERT INTO missing VALUES (1);"));

        var failed = await project.RunAsync(["deploy", .. sqlite]);

        Assert.True(failed.ExitCode == 8, failed.ToString());
        var report = ReadJson(project.Logs(".json")[^1]);
        var restoreCommand = report.GetProperty("restoreCommand").GetString()!;
        Assert.Contains($"--database 'sqlite:{project.Dir.Combine("app.db")}' --confirm 'app.db'", restoreCommand);
        Assert.False(report.GetProperty("restorePasswordMasked").GetBoolean());
        Assert.DoesNotContain("***", failed.Stderr);

        // Run as printed from another directory, where a relative sqlite:app.db would name another file.
        await SqliteExecAsync(project.Dir.Combine("app.db"), "UPDATE accounts SET name = 'changed'");
        var elsewhere = project.Dir.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var restored = await project.RunShellAsync(restoreCommand, workingDirectory: elsewhere);

        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.False(File.Exists(Path.Combine(elsewhere, "app.db")));
        await using var connection = new SqliteConnection($"Data Source={project.Dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT name FROM accounts", connection);
        Assert.Equal("kept", (string?)await command.ExecuteScalarAsync());
    }

    private static async Task SqliteExecAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Backup_then_restore_with_confirmation_brings_the_data_back()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'before');");

        var backup = await project.RunAsync("backup", "--json");

        Assert.True(backup.ExitCode == 0, backup.ToString());
        var path = JsonDocument.Parse(backup.Stdout).RootElement.GetProperty("path").GetString()!;
        Assert.EndsWith("_20250103_order_index.dump", path, StringComparison.Ordinal);
        Assert.Equal(Private, File.GetUnixFileMode(path));

        await project.ExecAsync("UPDATE accounts SET name = 'after'; INSERT INTO accounts VALUES (2, 'new');");
        var restore = await project.RunAsync("restore", path, "--confirm", project.Database.Name);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("now at 20250103_order_index", restore.Stdout);
        Assert.Equal("before", await project.ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY id) FROM accounts"));
        Assert.Equal(
            "restore",
            await project.ScalarAsync<string>("SELECT operation FROM probeops_schema_history_audit ORDER BY id DESC LIMIT 1"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Restore_refuses_a_wrong_confirmation_and_a_damaged_backup()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'current');");
        var backup = Assert.Single(project.Backups());

        var wrong = await project.RunAsync("restore", backup, "--confirm", "some_other_db");

        Assert.True(wrong.ExitCode == 10, wrong.ToString());
        Assert.Contains("does not match the database name", wrong.Stderr);

        var bytes = File.ReadAllBytes(backup);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(backup, bytes);
        var damaged = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);

        Assert.True(damaged.ExitCode == 6, damaged.ToString());
        Assert.Contains("does not match its checksum", damaged.Stderr);
        Assert.Equal("current", await project.ScalarAsync<string>("SELECT name FROM accounts"));
    }

    [Fact]
    public async Task Reset_needs_the_database_name_then_leaves_only_the_audit_log()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);

        var wrong = await project.RunAsync("reset", "--confirm", "nope");

        Assert.True(wrong.ExitCode == 10, wrong.ToString());
        Assert.Equal(["accounts", "orders", "probeops_schema_history", "probeops_schema_history_audit", "probeops_schema_history_schema"], await project.TablesAsync());

        var reset = await project.RunAsync("reset", "--confirm", project.Database.Name);

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(["probeops_schema_history_audit"], await project.TablesAsync());
        Assert.Equal(2, project.Backups().Length);
        Assert.Equal("reset", await project.ScalarAsync<string>("SELECT operation FROM probeops_schema_history_audit ORDER BY id DESC LIMIT 1"));

        // An unversioned, empty database again: deploy starts from scratch.
        var again = await project.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(3, (await project.HistoryAsync()).Count);
        project.AssertNoPasswordLeaked();
    }
}
