namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>A mistyped command or option gets one line naming it and the nearest valid one, exit 2; help shows what a command needs.</summary>
public sealed class CliUsageErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private readonly Dictionary<string, string?> _sqlite = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_mistyped_command_is_named_with_the_nearest_command()
    {
        var output = await CliProcess.RunAsync(_dir.Path, "upgarde");

        Assert.True(output.ExitCode == 2, output.ToString());
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown command 'upgarde'", line);
        Assert.Contains("did you mean upgrade?", line);
        Assert.DoesNotContain("Required command", line);
    }

    [Theory]
    [InlineData("upgrade")]
    [InlineData("downgrade")]
    public async Task A_mistyped_option_where_a_target_may_stand_is_not_read_as_the_target(string command)
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));

        var output = await CliProcess.RunAsync(_dir.Path, _sqlite, command, "--dry-rn");

        Assert.True(output.ExitCode == 2, output.ToString());
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"unknown option '--dry-rn' for {command}", line);
        Assert.Contains("did you mean --dry-run?", line);
        Assert.False(File.Exists(_dir.Combine("app.db")), "nothing may run for a command line that does not parse");
    }

    [Fact]
    public async Task A_mistyped_option_of_a_command_without_arguments_is_named_with_the_nearest_option()
    {
        var output = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--jsn");

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains("unknown option '--jsn' for status; did you mean --json?", output.Stderr);
    }

    [Fact]
    public async Task A_relative_target_is_still_a_target()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade")).ExitCode);

        var output = await CliProcess.RunAsync(_dir.Path, _sqlite, "downgrade", "-1");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("reverted 20250101_a", output.Stdout);
    }

    [Theory]
    [InlineData("merge", "probeops-migrate merge -m MESSAGE [REV...] [options]")]
    [InlineData("init", "probeops-migrate init [DIR] [options]")]
    [InlineData("downgrade", "probeops-migrate downgrade TARGET [options]")]
    [InlineData("amend", "probeops-migrate amend --reason TEXT REV [options]")]
    public async Task Help_usage_shows_required_options_and_optional_arguments(string command, string usage)
    {
        var output = await CliProcess.RunAsync(_dir.Path, command, "--help");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("\n  " + usage + "\n", output.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_duration_may_combine_units_and_a_bare_number_is_refused_with_the_accepted_forms()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));

        var combined = await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade", "--statement-timeout", "1h30m");
        var bare = await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade", "--lock-timeout", "30");

        Assert.True(combined.ExitCode == 0, combined.ToString());
        Assert.True(bare.ExitCode == 2, bare.ToString());
        Assert.Contains("'30' is not a duration (a number needs a unit)", bare.Stderr);
        Assert.Contains("1h30m", bare.Stderr);
    }

    [Fact]
    public async Task Init_writes_a_gitignore_and_adds_only_missing_lines_to_an_existing_one()
    {
        var fresh = await CliProcess.RunAsync(_dir.Path, "init", "fresh");
        _dir.Write("kept/.gitignore", "bin/\nbackups/\n");
        var kept = await CliProcess.RunAsync(_dir.Path, "init", "kept");

        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Contains("created fresh/.gitignore", fresh.Stdout);
        var lines = File.ReadAllLines(_dir.Combine("fresh", ".gitignore"));
        Assert.Contains("app.db", lines);
        Assert.Contains("backups/", lines);
        Assert.Contains("deployment_logs/", lines);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("updated kept/.gitignore", kept.Stdout);
        var merged = File.ReadAllLines(_dir.Combine("kept", ".gitignore"));
        Assert.Equal("bin/", merged[0]);
        Assert.Single(merged, l => l == "backups/");
        Assert.Contains("deployment_logs/", merged);
    }
}
