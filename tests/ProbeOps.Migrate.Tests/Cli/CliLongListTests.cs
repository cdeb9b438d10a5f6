using System.Text.Json;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>
/// Two thousand heads through the real process on a SQLite file: one-line messages name a few and
/// count the rest, and the full lists stay in <c>--json</c> and in the commands that list them.
/// </summary>
public sealed class CliLongListTests : IDisposable
{
    private const int Heads = 2000;
    private const int LongestLine = 400;

    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string?> _sqlite = new() { ["DATABASE_URL"] = "sqlite:app.db" };

    public CliLongListTests()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "CREATE TABLE base (id INTEGER);"));
        for (var i = 1; i <= Heads; i++)
        {
            _dir.Write($"migrations/20250102_head_{i:D4}.sql", MigrationText.File("20250101_base", $"CREATE TABLE head_{i:D4} (id INTEGER);"));
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Validate_names_a_few_of_2000_heads_on_one_short_line_and_lists_all_in_json()
    {
        var human = await CliProcess.RunAsync(_dir.Path, "validate");
        var json = await CliProcess.RunAsync(_dir.Path, "validate", "--json");

        Assert.True(human.ExitCode == 3, human.ToString());
        AssertShortLines(human);
        Assert.Contains("several heads: 20250102_head_0001, 20250102_head_0002, 20250102_head_0003, 20250102_head_0004, 20250102_head_0005 and 1,995 more;", human.Stderr);

        Assert.Equal(3, json.ExitCode);
        var diagnostic = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("diagnostics").EnumerateArray()
            .Single(d => d.GetProperty("code").GetString() == DiagnosticCodes.MultipleHeads);
        var revisions = diagnostic.GetProperty("revisions").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(Heads, revisions.Count);
        Assert.Equal("20250102_head_2000", revisions[^1]);
    }

    [Fact]
    public async Task Deploy_and_upgrade_keep_every_line_short_with_2000_heads()
    {
        var refused = await CliProcess.RunAsync(_dir.Path, _sqlite, "deploy");
        var deployed = await CliProcess.RunAsync(_dir.Path, _sqlite, "deploy", "--allow-multiple-heads");

        Assert.True(refused.ExitCode == 3, refused.ToString());
        AssertShortLines(refused);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        AssertShortLines(deployed);
        Assert.Contains($"Deployed {Heads + 1} migrations", deployed.Stdout);
        Assert.Contains("and 1,995 more.", deployed.Stdout);

        // The applied heads lose their files: the history error names a few and points to status.
        foreach (var file in Directory.GetFiles(_dir.Combine("migrations"), "20250102_head_*.sql"))
        {
            File.Delete(file);
        }

        var upgrade = await CliProcess.RunAsync(_dir.Path, _sqlite, "upgrade");
        var status = await CliProcess.RunAsync(_dir.Path, _sqlite, "status", "--json");

        Assert.True(upgrade.ExitCode == 3, upgrade.ToString());
        AssertShortLines(upgrade);
        Assert.Contains("applied revisions missing from the migration files: 20250102_head_0001, ", upgrade.Stderr);
        Assert.Contains(" and 1,995 more", upgrade.Stderr);
        Assert.Contains("`probeops-migrate status` lists them all", upgrade.Stderr);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(Heads, JsonDocument.Parse(status.Stdout).RootElement.GetProperty("unknown").GetArrayLength());
    }

    private static void AssertShortLines(CliOutput output)
    {
        foreach (var line in output.All.Split('\n'))
        {
            Assert.True(line.Length <= LongestLine, $"a line of {line.Length} characters: {line[..Math.Min(line.Length, 300)]}...");
        }
    }
}
