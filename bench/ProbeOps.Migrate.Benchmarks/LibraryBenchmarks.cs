using System.Text;
using BenchmarkDotNet.Attributes;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Sql;

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

    /// <summary>Parses N files (header, sections, statement split, checksum, transaction rules).</summary>
    [Benchmark]
    public int Parse_files()
    {
        var parsed = 0;
        foreach (var (path, content) in _files)
        {
            if (MigrationFileParser.Parse(path, content, SqlDialects.PostgreSql).File is not null)
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

    /// <summary>One migration's upgrade: 3 statements.</summary>
    [Benchmark]
    public int Split_one_migration() => SqlDialects.PostgreSql.Split(_one).Statements.Count;

    /// <summary>1,000 migrations' upgrades in one script: 2,100 statements.</summary>
    [Benchmark]
    public int Split_1000_migrations() => SqlDialects.PostgreSql.Split(_large).Statements.Count;
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

    [Benchmark]
    public int RevisionGraph_Create() => RevisionGraph.Create(_revisions).Count;

    /// <summary>Every graph rule: ids, parents, bases, heads, cycles, dates.</summary>
    [Benchmark]
    public int GraphValidator_Validate() => GraphValidator.Validate(_set, new GraphValidationOptions()).Diagnostics.Count;
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

    [Benchmark]
    public int Plan_to_head_nothing_applied() => Planner.PlanUpgrade(_graph, _none, _head).Steps.Count;

    [Benchmark]
    public int Plan_to_head_everything_applied() => Planner.PlanUpgrade(_graph, _all, _head).Steps.Count;
}
