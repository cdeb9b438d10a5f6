using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>The graph commands through the real process: exit codes, human and JSON output.</summary>
public sealed class CliGraphCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string ExampleDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ProbeOps.Migrate.slnx")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir!.FullName, "examples", "probeops");
        }
    }

    [Fact]
    public async Task Validate_on_the_example_project_exits_0()
    {
        var output = await CliProcess.RunAsync(ExampleDirectory, "validate");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("OK: 4 migrations", output.Stdout);
        Assert.Contains("20250516_add_probe_alerts", output.Stdout);
    }

    [Fact]
    public async Task Validate_lists_every_problem_by_file_and_exits_3()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));
        _dir.Write("migrations/20250102_typo.sql", "-- down_revison: 20250101_base\n\n-- migrate:upgrade\nSELECT 1;\n");
        _dir.Write("migrations/20250103_orphan.sql", MigrationText.File("20250199_missing", "SELECT 1;"));
        _dir.Write("migrations/20250104_empty.sql", "-- down_revision: 20250101_base\n\n-- migrate:upgrade\n\n");

        var output = await CliProcess.RunAsync(_dir.Path, "validate");

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("20250102_typo.sql:1:", output.Stderr);
        Assert.Contains("down_revison", output.Stderr);
        Assert.Contains("20250103_orphan.sql", output.Stderr);
        Assert.Contains("20250199_missing", output.Stderr);
        Assert.Contains("20250104_empty.sql", output.Stderr);
        Assert.DoesNotContain("   at ", output.All);
    }

    [Fact]
    public async Task Validate_json_reports_diagnostics_with_codes_files_and_lines()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "SELECT 1;"));
        _dir.Write("migrations/20250102_second.sql", MigrationText.File("20250101_base", "SELECT 1;"));
        _dir.Write("migrations/20250103_third.sql", MigrationText.File("20250101_base", "SELECT 1;"));

        var output = await CliProcess.RunAsync(_dir.Path, "validate", "--json");

        Assert.Equal(3, output.ExitCode);
        using var json = JsonDocument.Parse(output.Stdout);
        var root = json.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(3, root.GetProperty("exitCode").GetInt32());
        var codes = root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToList();
        Assert.Contains("PM205", codes);
    }

    [Fact]
    public async Task Validate_accepts_multiple_heads_when_allowed()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "SELECT 1;"));
        _dir.Write("migrations/20250102_left.sql", MigrationText.File("20250101_base", "SELECT 1;"));
        _dir.Write("migrations/20250102_right.sql", MigrationText.File("20250101_base", "SELECT 1;"));

        var refused = await CliProcess.RunAsync(_dir.Path, "validate");
        var allowed = await CliProcess.RunAsync(_dir.Path, "validate", "--allow-multiple-heads");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("merge", refused.Stderr);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
    }

    [Fact]
    public async Task New_and_merge_write_files_that_validate()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, "init")).ExitCode);
        var first = await CliProcess.RunAsync(_dir.Path, "new", "Create users", "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstId = JsonDocument.Parse(first.Stdout).RootElement.GetProperty("revision").GetString()!;
        Assert.Matches(@"^\d{8}_create_users$", firstId);
        FillUpgrade(firstId, "CREATE TABLE users (id int);");

        var second = await CliProcess.RunAsync(_dir.Path, "new", "Add emails!", "--json");
        var secondJson = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal(firstId, secondJson.GetProperty("downRevisions")[0].GetString());
        var secondId = secondJson.GetProperty("revision").GetString()!;
        Assert.EndsWith("_add_emails", secondId);
        FillUpgrade(secondId, "ALTER TABLE users ADD email text;");

        // A branch written by hand beside the second revision, then joined by merge.
        var date = firstId[..8];
        _dir.Write($"migrations/{date}_branch.sql", MigrationText.File(firstId, "CREATE TABLE other (id int);"));
        var refusedNew = await CliProcess.RunAsync(_dir.Path, "new", "third");
        Assert.Equal(3, refusedNew.ExitCode);
        Assert.Contains("merge", refusedNew.Stderr);

        var merge = await CliProcess.RunAsync(_dir.Path, "merge", "-m", "join branches", "--json");
        Assert.True(merge.ExitCode == 0, merge.ToString());
        var parents = JsonDocument.Parse(merge.Stdout).RootElement.GetProperty("downRevisions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(2, parents.Count);

        var validate = await CliProcess.RunAsync(_dir.Path, "validate");
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task History_lists_newest_first_with_branch_and_merge_points()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "SELECT 1;", message: "base"));
        _dir.Write("migrations/20250102_left.sql", MigrationText.File("20250101_base", "SELECT 1;"));
        _dir.Write("migrations/20250102_right.sql", MigrationText.File("20250101_base", "SELECT 1;"));
        _dir.Write("migrations/20250103_join.sql", MigrationText.File("20250102_left, 20250102_right", "SELECT 1;"));

        var output = await CliProcess.RunAsync(_dir.Path, "history");

        Assert.True(output.ExitCode == 0, output.ToString());
        var lines = output.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("20250102_left, 20250102_right -> 20250103_join (head, mergepoint", lines[0]);
        Assert.StartsWith("<base> -> 20250101_base (branchpoint", lines[^1]);

        var json = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, "history", "--json")).Stdout).RootElement;
        Assert.Equal(4, json.GetProperty("revisions").GetArrayLength());
    }

    [Fact]
    public async Task Heads_and_show_resolve_prefixes_and_report_unknown_revisions()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, "CREATE TABLE a (id int);", "DROP TABLE a;"));
        _dir.Write("migrations/20250102_second.sql", MigrationText.File("20250101_base", "SELECT 2;"));

        var heads = await CliProcess.RunAsync(_dir.Path, "heads");
        var show = await CliProcess.RunAsync(_dir.Path, "show", "20250101");
        var unknown = await CliProcess.RunAsync(_dir.Path, "show", "nope");

        Assert.Contains("20250102_second (head", heads.Stdout);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("CREATE TABLE a (id int);", show.Stdout);
        Assert.Contains("Children: 20250102_second", show.Stdout);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("nope", unknown.Stderr);
    }

    [Fact]
    public async Task Usage_errors_exit_2_with_one_line()
    {
        var unknownOption = await CliProcess.RunAsync(_dir.Path, "validate", "--no-such-flag");
        var badDuration = await CliProcess.RunAsync(_dir.Path, "upgrade", "--database", "sqlite:x.db", "--lock-timeout", "soon");
        var noDatabase = await CliProcess.RunAsync(_dir.Path, "status");

        Assert.Equal(2, unknownOption.ExitCode);
        Assert.Single(unknownOption.Stderr.Trim().Split('\n'));
        Assert.Equal(2, badDuration.ExitCode);
        Assert.Contains("--lock-timeout", badDuration.Stderr);
        Assert.Equal(2, noDatabase.ExitCode);
        Assert.Contains("DATABASE_URL", noDatabase.Stderr);
    }

    [Fact]
    public async Task Help_and_version_exit_0()
    {
        var help = await CliProcess.RunAsync(_dir.Path, "--help");
        var version = await CliProcess.RunAsync(_dir.Path, "--version");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("upgrade", help.Stdout);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());
    }

    [Fact]
    public async Task Flags_override_environment_which_overrides_the_config_file()
    {
        _dir.Write("probeops-migrate.json", """{ "migrations": "from-config" }""");
        _dir.Write("from-config/20250101_config.sql", MigrationText.File(null, "SELECT 1;"));
        _dir.Write("from-env/20250101_env.sql", MigrationText.File(null, "SELECT 1;"));
        _dir.Write("from-flag/20250101_flag.sql", MigrationText.File(null, "SELECT 1;"));
        var env = new Dictionary<string, string?> { ["PROBEOPS_MIGRATIONS"] = "from-env" };

        var config = await CliProcess.RunAsync(_dir.Path, "heads");
        var fromEnv = await CliProcess.RunAsync(_dir.Path, env, "heads");
        var fromFlag = await CliProcess.RunAsync(_dir.Path, env, "heads", "--migrations", "from-flag");

        Assert.Contains("20250101_config", config.Stdout);
        Assert.Contains("20250101_env", fromEnv.Stdout);
        Assert.Contains("20250101_flag", fromFlag.Stdout);
    }

    [Fact]
    public async Task A_config_file_with_an_unknown_key_is_a_usage_error()
    {
        _dir.Write("probeops-migrate.json", """{ "migration": "typo" }""");

        var output = await CliProcess.RunAsync(_dir.Path, "heads");

        Assert.Equal(2, output.ExitCode);
        Assert.Contains("unknown key \"migration\"", output.Stderr);
    }

    private void FillUpgrade(string revision, string sql)
    {
        var path = _dir.Combine("migrations", revision + ".sql");
        var text = File.ReadAllText(path).Replace("-- Write the schema change here.", sql, StringComparison.Ordinal);
        File.WriteAllText(path, text);
    }
}
