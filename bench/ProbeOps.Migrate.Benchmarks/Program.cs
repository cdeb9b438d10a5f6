using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// bench/run.sh runs this: every benchmark in this process (no generated projects to build), results as
// GitHub markdown under the artifacts directory.
//   ProbeOps.Migrate.Benchmarks ARTIFACTS_DIR [--smoke]
if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--smoke"))
{
    Console.Error.WriteLine("usage: ProbeOps.Migrate.Benchmarks ARTIFACTS_DIR [--smoke]");
    return 2;
}

var smoke = args.Length == 2;
// Smoke: one launch, one iteration, no warm-up; enough to prove every benchmark still runs.
var job = (smoke ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
    .AddExporter(MarkdownExporter.GitHub)
    .AddLogger(ConsoleLogger.Default)
    .WithArtifactsPath(args[0])
    .WithOptions(ConfigOptions.DisableLogFile);

var summaries = BenchmarkRunner.Run(typeof(ProbeOps.Migrate.Benchmarks.ParserBenchmarks).Assembly, config);
var failed = summaries.Where(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)).ToList();
foreach (var summary in failed)
{
    Console.Error.WriteLine($"benchmarks: {summary.Title} failed");
}

return failed.Count == 0 && summaries.Length > 0 ? 0 : 1;
