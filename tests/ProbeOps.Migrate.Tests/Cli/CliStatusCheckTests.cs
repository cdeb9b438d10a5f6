namespace ProbeOps.Migrate.Tests.Cli;

/// <summary><c>status --check</c> fails a CI job (exit 3) when anything needs attention, and passes when nothing does.</summary>
public sealed class CliStatusCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private readonly Dictionary<string, string?> _sqlite = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pending_and_edited_revisions_fail_the_check_and_an_up_to_date_database_passes()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);"));
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade", "20250101_a")).ExitCode);

        var pending = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--check");
        var withoutCheck = await CliProcess.RunAsync(_dir.Path, _sqlite, "status");
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade")).ExitCode);
        var upToDate = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--check");
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER, note TEXT);"));
        var edited = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--check", "--json");

        Assert.True(pending.ExitCode == 3, pending.ToString());
        Assert.Contains("status check failed: 1 pending", pending.Stderr);
        Assert.Equal(0, withoutCheck.ExitCode);
        Assert.True(upToDate.ExitCode == 0, upToDate.ToString());
        Assert.Contains("Up to date.", upToDate.Stdout);
        Assert.True(edited.ExitCode == 3, edited.ToString());
        Assert.Contains("1 edited since applied", edited.Stderr);
        Assert.Equal("20250101_a", System.Text.Json.JsonDocument.Parse(edited.Stdout).RootElement.GetProperty("edited")[0].GetProperty("revision").GetString());
    }
}
