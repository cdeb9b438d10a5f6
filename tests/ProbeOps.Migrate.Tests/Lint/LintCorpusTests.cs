using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Drift;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>Lints every case of the corpus: dangerous cases are found at their statement's line, safe ones and traps are clean.</summary>
public sealed class LintCorpusTests
{
    private const string ExpectMarker = "-- expect:";

    /// <summary>The revision every case builds on: the tables an application has been filling.</summary>
    public const string PopulatedBase = "20250101_populated.sql";

    public static string CorpusDirectory =>
        Path.Combine(DriftCommandTests.RepositoryRoot, "tests", "ProbeOps.Migrate.Tests", "Lint", "Corpus");

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(CorpusDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Errors_and_warnings_are_exactly_the_expected_ones(string name)
    {
        var directory = Path.Combine(CorpusDirectory, name);
        var files = Directory.GetFiles(directory, "*.sql").Append(Path.Combine(CorpusDirectory, PopulatedBase)).Order(StringComparer.Ordinal)
            .Select(path => LintTestSupport.Parse(path, File.ReadAllText(path)))
            .ToList();
        var graph = LintTestSupport.BuildGraph(files);
        var repeatables = Repeatables(directory);
        var report = new MigrationLinter().Lint(graph, graph.TopologicalOrder, Options(directory, graph), repeatables);

        var expected = files.Select(f => f.Path).Concat(repeatables.Select(r => r.Path)).SelectMany(Expectations).Order().ToList();
        var actual = report.Findings
            .Where(f => f.Severity != LintSeverity.Notice)
            .Select(f => $"{Path.GetFileName(f.File)}:{f.Line} {f.Code}")
            .Order()
            .ToList();
        Assert.Equal(expected, actual);
        if (name.EndsWith("_dangerous", StringComparison.Ordinal))
            Assert.Contains(actual, a => a.EndsWith(" " + name[..5].ToUpperInvariant(), StringComparison.Ordinal));
    }

    /// <summary>The repeatable migrations of the case's <c>repeatable/</c> folder, in file-name order.</summary>
    private static List<RepeatableMigration> Repeatables(string directory)
    {
        var folder = Path.Combine(directory, RepeatableMigration.Folder);
        if (!Directory.Exists(folder))
            return [];
        return Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal)
            .Select(path => RepeatableFileParser.Parse(path, File.ReadAllBytes(path), SqlDialects.PostgreSql).Repeatable
                ?? throw new InvalidOperationException($"{path} does not parse"))
            .ToList();
    }

    [Fact]
    public void Every_rule_has_a_dangerous_and_a_safe_case()
    {
        var names = Directory.GetDirectories(CorpusDirectory).Select(Path.GetFileName).ToHashSet();
        foreach (var rule in LintRules.All)
        {
            Assert.Contains(rule.Anchor + "_dangerous", names);
            Assert.Contains(rule.Anchor + "_safe", names);
        }
    }

    [Fact]
    public void Every_rule_has_its_section_under_the_rules_heading_of_the_docs()
    {
        var docs = File.ReadAllText(Path.Combine(DriftCommandTests.RepositoryRoot, "docs", "lint.md"));
        var rules = docs[docs.IndexOf("\n## Rules\n", StringComparison.Ordinal)..];
        foreach (var rule in LintRules.All)
            Assert.Contains("\n### " + rule.Code + "\n", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_project_lints_clean()
    {
        var versions = Path.Combine(DriftCommandTests.RepositoryRoot, "examples", "probeops", "backend", "migrations", "versions");
        var files = Directory.GetFiles(versions, "*.sql").Select(path => LintTestSupport.Parse(path, File.ReadAllText(path))).ToList();
        var graph = LintTestSupport.BuildGraph(files);
        var report = new MigrationLinter().Lint(graph, graph.TopologicalOrder, new LintOptions());
        Assert.Equal(files.Count, report.RevisionsLinted);
        Assert.Empty(report.Findings);
    }

    private static LintOptions Options(string directory, Migrate.Graph.RevisionGraph graph)
    {
        var options = new LintOptions();
        var file = Path.Combine(directory, "case.txt");
        if (!File.Exists(file))
            return options;
        foreach (var line in File.ReadAllLines(file).Where(l => l.Contains('=', StringComparison.Ordinal)))
        {
            var (key, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            options = key switch
            {
                "pg" => options with { ServerVersion = new Version(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), 0) },
                "pending" => options with { PendingRevisions = graph.TopologicalOrder.Skip(1).Select(r => r.Id).ToHashSet() },
                _ => throw new InvalidOperationException($"{file}: unknown option {key}"),
            };
        }

        return options;
    }

    /// <summary>"file:line CODE" for each code of each <c>-- expect:</c> line, at the next line that is not one.</summary>
    private static IEnumerable<string> Expectations(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        var pending = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(ExpectMarker, StringComparison.Ordinal))
            {
                pending.AddRange(lines[i][ExpectMarker.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                continue;
            }

            foreach (var code in pending)
                yield return $"{Path.GetFileName(path)}:{i + 1} {code}";
            pending.Clear();
        }
    }
}
