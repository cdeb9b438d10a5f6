using Microsoft.Data.Sqlite;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>What a person at a terminal sees of a deploy: real progress, the adoption prompt, and what a failed deploy left.</summary>
public sealed class CliTerminalDeployTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private readonly Dictionary<string, string?> _sqlite = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public CliTerminalDeployTests()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);"));
        _dir.Write("migrations/20250103_c.sql", MigrationText.File("20250102_b", "CREATE TABLE c (id INTEGER);"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_progress_display_counts_migrations_and_backup_bytes_instead_of_percentages()
    {
        var output = await TerminalProcess.RunAsync(_dir.Path, _sqlite, "", "deploy");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("3/3", output.Stdout);
        Assert.Contains("3 migrations applied", output.Stdout);
        Assert.Matches(@"\d+(\.\d)? (B|KiB|MiB) ", output.Stdout);
        Assert.DoesNotContain("%", output.Stdout);
    }

    [Fact]
    public async Task An_empty_answer_to_the_adoption_prompt_stops_and_changes_nothing()
    {
        await using (var connection = new SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE legacy (id INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        var output = await TerminalProcess.RunAsync(_dir.Path, _sqlite, "\n", "deploy", "--no-backup");
        var status = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--json");

        Assert.Contains("empty to stop", output.Stdout);
        Assert.True(output.ExitCode == 10, output.ToString());
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(status.Stdout).RootElement.GetProperty("applied").GetArrayLength());
    }

    [Fact]
    public async Task A_rolled_back_deploy_says_nothing_changed_before_the_last_resort_restore_command()
    {
        _dir.Write("migrations/20250103_c.sql", MigrationText.File("20250102_b", "CREATE TABLE c (id INTEGER);\nINSERT INTO nowhere VALUES (1);"));

        var output = await CliProcess.RunAsync(_dir.Path, _sqlite, "deploy");

        Assert.True(output.ExitCode == 8, output.ToString());
        var nothingChanged = output.Stderr.IndexOf("Nothing changed: the deploy was rolled back", StringComparison.Ordinal);
        var lastResort = output.Stderr.IndexOf("Last resort, only if the database is not as it should be", StringComparison.Ordinal);
        Assert.True(nothingChanged >= 0 && lastResort > nothingChanged, output.ToString());
        Assert.Contains("restore ", output.Stderr[lastResort..]);
        var status = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--json");
        Assert.Equal(0, System.Text.Json.JsonDocument.Parse(status.Stdout).RootElement.GetProperty("applied").GetArrayLength());
    }
}
