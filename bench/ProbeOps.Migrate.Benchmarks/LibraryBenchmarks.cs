using System.Text;
using BenchmarkDotNet.Attributes;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Benchmarks;

/// <summary>Parsing migration files held in memory: no disk, only the parser (header, sections, checksum, rules).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private (string Path, byte[] Content)[] _files = [];

    [Params(1_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup() => _files = Corpus.Files(Files);

    [Benchmark(Description = "parse N files")]
    public int ParseAll()
    {
        var parsed = 0;
        foreach (var (path, content) in _files)
        {
            if (MigrationFileParser.Parse(path, content).File is not null)
                parsed++;
        }

        return parsed;
    }
}

/// <summary>Cutting SQL into statements: one migration's upgrade, and one large script.</summary>
[MemoryDiagnoser]
public class SplitterBenchmarks
{
    private string _one = "";
    private string _large = "";

    [GlobalSetup]
    public void Setup()
    {
        _one = Corpus.UpgradeSql(10);
        var large = new StringBuilder();
        for (var i = 1; i <= 1_000; i++)
            large.Append(Corpus.UpgradeSql(i));
        _large = large.ToString();
    }

    [Benchmark(Description = "split one migration (3 statements)")]
    public int SplitOne() => SqlStatementSplitter.Split(_one, SqlDialect.PostgreSql).Count;

    [Benchmark(Description = "split 1,000 migrations' SQL (2,100 statements)")]
    public int SplitLarge() => SqlStatementSplitter.Split(_large, SqlDialect.PostgreSql).Count;
}

/// <summary>The revision graph of a long chain: building it, and validating files into it.</summary>
[MemoryDiagnoser]
public class GraphBenchmarks
{
    private MigrationSet _set = null!;
    private Revision[] _revisions = [];

    [Params(10_000)]
    public int Revisions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = Corpus.Parsed(Revisions);
        _revisions = _set.Files.Select(Revision.From).ToArray();
    }

    [Benchmark(Description = "RevisionGraph.Create")]
    public int Create() => RevisionGraph.Create(_revisions).Count;

    [Benchmark(Description = "GraphValidator.Validate (all graph rules)")]
    public int Validate() => GraphValidator.Validate(_set, new GraphValidationOptions()).Diagnostics.Count;
}

/// <summary>Planning an upgrade to head over a long chain: from nothing applied, and with everything applied.</summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private RevisionGraph _graph = null!;
    private HashSet<string> _none = [];
    private HashSet<string> _all = [];
    private Target _head = Target.Heads;

    [Params(10_000)]
    public int Revisions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _graph = RevisionGraph.Create(Enumerable.Range(1, Revisions)
            .Select(i => new Revision(Corpus.RevisionId(i), i == 1 ? [] : [Corpus.RevisionId(i - 1)])));
        _none = new HashSet<string>(StringComparer.Ordinal);
        _all = new HashSet<string>(_graph.Ids, StringComparer.Ordinal);
        _head = Target.Revision(_graph.Heads[0].Id);
    }

    [Benchmark(Description = "plan upgrade to head, nothing applied")]
    public int PlanAll() => Planner.PlanUpgrade(_graph, _none, _head).Steps.Count;

    [Benchmark(Description = "plan upgrade to head, everything applied")]
    public int PlanNothing() => Planner.PlanUpgrade(_graph, _all, _head).Steps.Count;
}
