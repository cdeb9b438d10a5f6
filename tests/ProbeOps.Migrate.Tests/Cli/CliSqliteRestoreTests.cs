using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary><c>restore</c> on a real SQLite file, through the process: the backup's schema, and every audit row kept.</summary>
public sealed class CliSqliteRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string?> _env = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Restore_drops_newer_objects_keeps_newer_audit_rows_and_checks_the_schema()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        Assert.Equal(0, (await RunAsync("upgrade")).ExitCode);
        await ExecAsync("INSERT INTO a VALUES (1);");
        var backup = JsonDocument.Parse((await RunAsync("backup", "--json")).Stdout).RootElement.GetProperty("path").GetString()!;
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);"));
        Assert.Equal(0, (await RunAsync("upgrade")).ExitCode);
        Assert.Equal(0, (await RunAsync("stamp", "20250102_b")).ExitCode);
        await ExecAsync("INSERT INTO a VALUES (2); CREATE VIEW later_view AS SELECT id FROM a;");
        var auditBefore = await AuditAsync();

        var restore = await RunAsync("restore", backup, "--confirm", "app.db", "--json");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("matches", JsonDocument.Parse(restore.Stdout).RootElement.GetProperty("schema").GetString());
        Assert.Equal("a,probeops_schema_history,probeops_schema_history_audit,probeops_schema_history_schema", await ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%' ORDER BY name)"));
        Assert.Equal("1", await ScalarAsync("SELECT group_concat(id) FROM a"));
        var auditAfter = await AuditAsync();
        Assert.StartsWith(auditBefore + ",", auditAfter, StringComparison.Ordinal);
        Assert.EndsWith(":restore:succeeded", auditAfter, StringComparison.Ordinal);
        Assert.Equal(auditBefore.Split(',').Length + 1, auditAfter.Split(',').Length);
        Assert.Empty(Directory.GetFiles(_dir.Path, "app.db.restoring-*"));

        var human = await RunAsync("restore", backup, "--confirm", "app.db");
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("Schema matches the backup.", human.Stdout);
    }

    private Task<CliOutput> RunAsync(params string[] args) => CliProcess.RunAsync(_dir.Path, _env, args);

    private Task<string> AuditAsync() =>
        ScalarAsync("SELECT group_concat(row, ',') FROM (SELECT id || ':' || deploy_id || ':' || operation || ':' || outcome AS row FROM probeops_schema_history_audit ORDER BY id)");

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private async Task ExecAsync(string sql)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _dir.Combine("app.db"), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
