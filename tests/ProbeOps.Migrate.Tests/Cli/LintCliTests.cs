using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary><c>lint</c> through the real process, offline and on SQLite files: output formats, exit codes, configuration, suppression.</summary>
public sealed class LintCliTests : IDisposable
{
    private readonly LintProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task Lint_of_a_dangerous_file_shows_file_line_column_the_statement_with_a_caret_the_lock_and_the_fix()
    {
        var output = await _project.RunAsync("lint");

        Assert.True(output.ExitCode == 3, output.ToString());
        var lines = output.Stdout.Split('\n');
        var head = Array.FindIndex(lines, l => l.StartsWith($"{LintProject.IndexFile}:{LintProject.IndexLine}:1: error ", StringComparison.Ordinal));
        Assert.True(head >= 0, output.ToString());
        Assert.Equal($"{LintProject.IndexLine,6} | {LintProject.CreateIndex}", lines[head + 1]);
        Assert.Equal("       | ^", lines[head + 2]);
        Assert.StartsWith("       = lock: ", lines[head + 3], StringComparison.Ordinal);
        Assert.StartsWith("       = fix: ", lines[head + 4], StringComparison.Ordinal);
        Assert.Matches(@"^       = see: docs/lint\.md#[a-z]+\d+$", lines[head + 5]);
        Assert.Contains("Lint: 2 revisions, 1 error, 0 warnings, 0 notices (PostgreSQL 13 assumed, --pg-version N for another).", output.Stdout);
        Assert.Equal("error: 1 lint error: change the statement the safe way shown, or add '-- lint:ignore CODE reason' above it.", output.Stderr.Trim());
    }

    [Fact]
    public async Task Lint_of_safe_files_exits_0()
    {
        using var safe = new TempDirectory();
        safe.Write("migrations/20250101_orders.sql", MigrationText.File(null, "CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);\n" + LintProject.CreateIndex));
        safe.Write("migrations/20250102_index.sql", MigrationText.File(
            "20250101_orders", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_id_created ON orders (id, created_at);", transactional: false));

        var output = await CliProcess.RunAsync(safe.Path, "lint");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("Lint: 2 revisions, 0 errors, 0 warnings, 0 notices", output.Stdout);
    }

    [Fact]
    public async Task Lint_json_is_one_document_whose_findings_carry_every_field()
    {
        var output = await _project.RunAsync("lint", "--json");

        Assert.True(output.ExitCode == 3, output.ToString());
        var json = JsonDocument.Parse(output.Stdout).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(3, json.GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("database").ValueKind);
        Assert.Equal(2, json.GetProperty("revisions").GetInt32());
        Assert.Equal(1, json.GetProperty("errors").GetInt32());
        var finding = Assert.Single(json.GetProperty("findings").EnumerateArray());
        Assert.Matches(@"^[A-Z]+\d+$", finding.GetProperty("code").GetString());
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(_project.Dir.Combine(LintProject.IndexFile), finding.GetProperty("file").GetString());
        Assert.Equal(LintProject.IndexLine, finding.GetProperty("line").GetInt32());
        Assert.Equal(1, finding.GetProperty("column").GetInt32());
        Assert.Equal(LintProject.Second, finding.GetProperty("revision").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("fix").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("lock").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("blocks").GetString()));
        Assert.Empty(json.GetProperty("suppressions").EnumerateArray());
        Assert.Equal(output.Stdout, await FormatJsonAsync());
    }

    [Fact]
    public async Task Sarif_output_is_SARIF_2_1_0_with_the_rule_catalogue_and_results_at_relative_locations()
    {
        var output = await _project.RunAsync("lint", "--format", "sarif");

        Assert.True(output.ExitCode == 3, output.ToString());
        var sarif = JsonDocument.Parse(output.Stdout).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        Assert.EndsWith("sarif-schema-2.1.0.json", sarif.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        var run = Assert.Single(sarif.GetProperty("runs").EnumerateArray());
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("probeops-migrate", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule =>
        {
            Assert.Matches(@"^[A-Z]+\d+$", rule.GetProperty("id").GetString());
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.Contains(rule.GetProperty("defaultConfiguration").GetProperty("level").GetString(), new[] { "error", "warning", "note" });
        });
        Assert.Equal(rules.Count, rules.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        Assert.StartsWith("file:///", run.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString(), StringComparison.Ordinal);

        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        var ruleId = result.GetProperty("ruleId").GetString();
        Assert.Equal(ruleId, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Contains(" Fix: ", result.GetProperty("message").GetProperty("text").GetString());
        var location = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
        Assert.Equal(LintProject.IndexFile, location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(LintProject.IndexLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(1, location.GetProperty("region").GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public async Task Sarif_paths_are_relative_to_the_repository_holding_the_current_directory()
    {
        Directory.CreateDirectory(_project.Dir.Combine(".git"));
        Directory.CreateDirectory(_project.Dir.Combine("tools"));

        var output = await CliProcess.RunAsync(_project.Dir.Combine("tools"), "lint", "--format", "sarif", "--migrations", "../migrations");

        var result = JsonDocument.Parse(output.Stdout).RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        var uri = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
        Assert.Equal(LintProject.IndexFile, uri);
    }

    [Fact]
    public async Task The_config_file_lowers_a_rule_to_a_warning_or_turns_it_off()
    {
        var code = await _project.IndexFindingCodeAsync();

        _project.Dir.Write("probeops-migrate.json", $$"""{ "lint": { "rules": { "{{code}}": "warning" } } }""");
        var lowered = await _project.RunAsync("lint", "--json");
        _project.Dir.Write("probeops-migrate.json", $$"""{ "lint": { "rules": { "{{code}}": "off" } } }""");
        var off = await _project.RunAsync("lint", "--json");

        Assert.True(lowered.ExitCode == 0, lowered.ToString());
        Assert.Equal("warning", JsonDocument.Parse(lowered.Stdout).RootElement.GetProperty("findings")[0].GetProperty("severity").GetString());
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.Empty(JsonDocument.Parse(off.Stdout).RootElement.GetProperty("findings").EnumerateArray());
    }

    [Theory]
    [InlineData("""{ "lint": { "rules": { "XX999": "warning" } } }""", "lint rule \"XX999\" is unknown; known rules are ")]
    [InlineData("""{ "lint": { "rules": { "CODE": "fatal" } } }""", "has severity \"fatal\"; use \"error\", \"warning\", \"notice\" or \"off\".")]
    [InlineData("""{ "lint": { "rule": { } } }""", "unknown key \"lint.rule\"")]
    [InlineData("""{ "lint": "strict" }""", "\"lint\" must be an object")]
    public async Task A_bad_lint_configuration_is_exit_2_with_one_line(string config, string expected)
    {
        var code = await _project.IndexFindingCodeAsync();
        _project.Dir.Write("probeops-migrate.json", config.Replace("CODE", code, StringComparison.Ordinal));

        var output = await _project.RunAsync("lint");

        Assert.True(output.ExitCode == 2, output.ToString());
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.Empty(output.Stdout);
    }

    [Fact]
    public async Task A_suppression_with_a_reason_silences_the_finding_and_is_listed()
    {
        var code = await _project.IndexFindingCodeAsync();
        using var suppressed = new LintProject($"-- lint:ignore {code} the table holds a few rows");

        var json = await CliProcess.RunAsync(suppressed.Dir.Path, "lint", "--json");
        var text = await CliProcess.RunAsync(suppressed.Dir.Path, "lint");

        Assert.True(json.ExitCode == 0, json.ToString());
        var document = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Empty(document.GetProperty("findings").EnumerateArray());
        var suppression = Assert.Single(document.GetProperty("suppressions").EnumerateArray());
        Assert.Equal(code, suppression.GetProperty("code").GetString());
        Assert.Equal(LintProject.Second, suppression.GetProperty("revision").GetString());
        Assert.Equal("the table holds a few rows", suppression.GetProperty("reason").GetString());
        Assert.Contains($"ignored {code}: the table holds a few rows", text.Stdout);
        Assert.Contains("1 suppressed", text.Stdout);
    }

    [Fact]
    public async Task On_a_sqlite_file_the_tables_of_pending_revisions_are_new()
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };

        var bothPending = await _project.RunAsync(env, "lint", "--json");
        Assert.Equal(0, (await _project.RunAsync(env, "upgrade", LintProject.First)).ExitCode);
        var firstApplied = await _project.RunAsync(env, "lint", "--json");

        Assert.True(bothPending.ExitCode == 0, bothPending.ToString());
        var pending = JsonDocument.Parse(bothPending.Stdout).RootElement;
        Assert.Equal([LintProject.First, LintProject.Second], pending.GetProperty("pending").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("sqlite:app.db", pending.GetProperty("database").GetString());
        Assert.True(firstApplied.ExitCode == 3, firstApplied.ToString());
        Assert.Equal(LintProject.Second, Assert.Single(JsonDocument.Parse(firstApplied.Stdout).RootElement.GetProperty("pending").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Named_revisions_alone_are_linted()
    {
        var first = await _project.RunAsync("lint", LintProject.First);
        var second = await _project.RunAsync("lint", "20250102");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Lint: 1 revision, 0 errors", first.Stdout);
        Assert.True(second.ExitCode == 3, second.ToString());
        Assert.Contains("Lint: 1 revision, 1 error", second.Stdout);
    }

    [Theory]
    [InlineData("--pg-version", "fifteen", "--pg-version 'fifteen' is not a PostgreSQL version")]
    [InlineData("--pg-version", "8", "--pg-version '8' is not a PostgreSQL version")]
    [InlineData("--format", "xml", "--format 'xml' is not known: use text, json or sarif.")]
    public async Task Bad_options_are_exit_2_with_one_line(string option, string value, string expected)
    {
        var output = await _project.RunAsync("lint", option, value);

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains(expected, Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Json_and_sarif_together_are_exit_2()
    {
        var output = await _project.RunAsync("lint", "--json", "--format", "sarif");

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains("--json and --format sarif", output.Stderr);
    }

    [Fact]
    public async Task Invalid_files_are_exit_3_with_the_validation_problems()
    {
        _project.Dir.Write("migrations/20250103_broken.sql", MigrationText.File("20250101_missing", "SELECT 1;"));

        var output = await _project.RunAsync("lint");

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("20250101_missing", output.Stderr);
        Assert.DoesNotContain("Lint:", output.Stdout);
    }

    private async Task<string> FormatJsonAsync() => (await _project.RunAsync("lint", "--format", "json")).Stdout;
}
