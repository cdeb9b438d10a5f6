using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary><c>validate</c> when some files do not parse: no follow-on errors for them, and counts of what was read.</summary>
public sealed class CliValidateFollowOnTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A base, a broken file whose header names its own id, and a child of that id.</summary>
    private void WriteBrokenParentAndChild()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));
        _dir.Write("migrations/20250102_parent.sql",
            "-- revision: parent_rev\n-- down_revision: 20250101_base\n-- mesage: typo\n\n-- migrate:upgrade\nSELECT 1;\n");
        _dir.Write("migrations/20250103_child.sql", MigrationText.File("parent_rev", "SELECT 2;"));
    }

    [Fact]
    public async Task A_child_of_a_file_with_errors_is_not_told_its_parent_is_unknown()
    {
        WriteBrokenParentAndChild();

        var output = await CliProcess.RunAsync(_dir.Path, "validate");

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("20250102_parent.sql:3:", output.Stderr);
        Assert.Contains("mesage", output.Stderr);
        Assert.DoesNotContain("unknown revision", output.Stderr);
        Assert.DoesNotContain("PM202", output.Stderr);
        Assert.DoesNotContain("did you mean '", output.Stderr);
        Assert.DoesNotContain("20250103_child.sql", output.Stderr);
        Assert.Contains("3 files read, 2 valid", output.Stderr);
    }

    [Fact]
    public async Task Validate_json_counts_files_read_and_files_valid()
    {
        WriteBrokenParentAndChild();

        var output = await CliProcess.RunAsync(_dir.Path, "validate", "--json");

        Assert.True(output.ExitCode == 3, output.ToString());
        var json = JsonDocument.Parse(output.Stdout).RootElement;
        Assert.Equal(3, json.GetProperty("files").GetInt32());
        Assert.Equal(2, json.GetProperty("validFiles").GetInt32());
        Assert.DoesNotContain(json.GetProperty("diagnostics").EnumerateArray(), d => d.GetProperty("code").GetString() == "PM202");
    }

    [Fact]
    public async Task A_psql_meta_command_is_reported_with_file_and_line_before_any_server_sees_it()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "CREATE TABLE a (id int);\n\\set answer 42\nINSERT INTO a VALUES (:answer);"));

        var output = await CliProcess.RunAsync(_dir.Path, "validate");

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("20250101_base.sql:5:", output.Stderr);
        Assert.Contains("`\\set` is a psql meta-command", output.Stderr);
        Assert.Contains("20250101_base.sql:6:", output.Stderr);
        Assert.Contains("`:answer` is psql variable interpolation", output.Stderr);
        Assert.Contains("PM117", output.Stderr);
    }
}
