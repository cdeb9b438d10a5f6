using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>The database commands through the real process on SQLite files, as the quick start runs them.</summary>
public sealed class CliSqliteCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_sqlite_path_in_the_config_file_is_relative_to_the_file()
    {
        _dir.Write("project/probeops-migrate.json", """{ "database": "sqlite:data/app.db", "migrations": "migrations" }""");
        Directory.CreateDirectory(_dir.Combine("project", "data"));
        _dir.Write("project/migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        Directory.CreateDirectory(_dir.Combine("elsewhere"));

        var output = await CliProcess.RunAsync(_dir.Combine("elsewhere"), "upgrade", "--config", "../project/probeops-migrate.json");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.True(File.Exists(_dir.Combine("project", "data", "app.db")));
        Assert.False(File.Exists(_dir.Combine("elsewhere", "data", "app.db")));
    }

    [Fact]
    public async Task Upgrade_status_downgrade_and_stamp_report_json()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;"));
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };

        var upgrade = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, env, "upgrade", "+1", "--json")).Stdout).RootElement;
        var status = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, env, "status", "--json")).Stdout).RootElement;
        var rest = await CliProcess.RunAsync(_dir.Path, env, "upgrade");
        var down = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, env, "downgrade", "-1", "--json")).Stdout).RootElement;
        var stamp = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, env, "stamp", "head", "--json")).Stdout).RootElement;
        var current = await CliProcess.RunAsync(_dir.Path, env, "current");

        Assert.Equal("20250101_a", upgrade.GetProperty("steps")[0].GetProperty("revision").GetString());
        Assert.Equal("20250102_b", status.GetProperty("pending")[0].GetString());
        Assert.Equal(0, rest.ExitCode);
        Assert.Equal("20250102_b", down.GetProperty("steps")[0].GetProperty("revision").GetString());
        Assert.Equal(2, stamp.GetProperty("recorded").GetInt32());
        Assert.Equal("20250102_b", current.Stdout.Trim());
    }

    [Fact]
    public async Task Reset_refuses_a_wrong_confirmation_with_exit_10_and_accepts_the_database_name()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, env, "upgrade")).ExitCode);

        var missing = await CliProcess.RunAsync(_dir.Path, env, "reset");
        var wrong = await CliProcess.RunAsync(_dir.Path, env, "reset", "--confirm", "other.db");
        var right = await CliProcess.RunAsync(_dir.Path, env, "reset", "--confirm", "app.db");
        var status = await CliProcess.RunAsync(_dir.Path, env, "status", "--json");

        Assert.Equal(10, missing.ExitCode);
        Assert.Contains("--confirm app.db", missing.Stderr);
        Assert.Equal(10, wrong.ExitCode);
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Single(Directory.GetFiles(_dir.Combine("backups"), "app.db_*.dump"));
        Assert.Equal(0, JsonDocument.Parse(status.Stdout).RootElement.GetProperty("applied").GetArrayLength());
    }

    [Fact]
    public async Task A_failing_statement_exits_8_with_file_line_and_caret()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);\nINSERT INTO nowhere VALUES (1);"));

        var output = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" }, "upgrade");

        Assert.Equal(8, output.ExitCode);
        Assert.Contains("20250101_a.sql:5", output.Stderr);
        Assert.Contains("no such table: nowhere", output.Stderr);
        Assert.DoesNotContain("   at ", output.Stderr);
    }
}
