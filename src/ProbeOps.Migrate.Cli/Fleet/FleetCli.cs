using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Fleet;
using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Cli.Fleet;

/// <summary>
/// <c>--targets FILE</c> on <c>deploy</c>, <c>preflight</c>, <c>status</c> and <c>drift</c> (SPEC §12): reads the
/// targets file, runs the fleet command, and shows it: a live table on a terminal, one line per target when
/// output is redirected, one JSON document with <c>--json</c>.
/// </summary>
public static class FleetCli
{
    /// <summary>The fleet's command body: the library call to make once the targets file is read.</summary>
    public delegate Task<FleetReport> FleetRun(FleetCommands commands, FleetDefinition fleet, IFleetObserver observer, CancellationToken stop);

    public static Option<string?> TargetsOption() => new("--targets")
    {
        Description = "Run over every database and tenant schema of this targets file, in waves and in parallel (JSON; see docs/fleets.md).",
        HelpName = "FILE",
    };

    public static async Task<int> RunAsync(CliContext context, ParseResult result, string file, MigrateSettings settings, FleetRun run, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        if (result.GetValue(context.Global.Database) is not null)
        {
            throw new MigrateException(FailureKind.Usage, "--targets and --database cannot be given together: the targets file names the databases.");
        }

        var fleet = TargetsFile.Read(Path.GetFullPath(file, context.WorkingDirectory), context.Environment);
        var commands = new FleetCommands(settings, context.Providers, context.Time);
        var json = context.IsJson(result);
        var report = json || !context.Console.IsTerminal
            ? await run(commands, fleet, json ? new FleetLines(TextWriter.Null) : new FleetLines(context.Console.Out), stop)
            : await FleetTable.RunAsync(context.Console, observer => run(commands, fleet, observer, stop));
        Finish(context, result, json, report);
        return report.ExitCode;
    }

    private static void Finish(CliContext context, ParseResult result, bool json, FleetReport report)
    {
        if (json)
        {
            context.WriteJson(result, FleetReportDocument.From(report), CliJsonContext.Default.FleetReportDocument);
        }
        else
        {
            context.Console.Out.WriteLine(report.Summary());
        }

        foreach (var target in report.Targets.Where(t => t.Error is not null))
        {
            context.Console.Error.WriteLine($"error: {target.Target.Name}: {target.Error}");
            if (target.RestoreCommand is not null)
            {
                var note = target.RestorePasswordMasked ? $" ({Deploy.RestoreCommandLine.PasswordNote})" : "";
                context.Console.Error.WriteLine($"  last resort, the backup {target.Target.Name} took before this deploy restores it{note}: {target.RestoreCommand}");
            }
        }

        if (report.Warning is not null)
        {
            context.Console.Error.WriteLine($"warning: {report.Warning}");
        }

        if (report.LogFiles.Count > 0 && !json)
        {
            context.Console.Error.WriteLine($"log: {ErrorRenderer.RelativePath(report.LogFiles[0], context.WorkingDirectory)}");
        }
    }
}

/// <summary>One line per target as it ends, for output that is not a terminal (CI logs, pipes).</summary>
public sealed class FleetLines(TextWriter output) : IFleetObserver
{
    private readonly Lock _gate = new();

    public void TargetsResolved(IReadOnlyList<FleetTarget> targets)
    {
    }

    public void TargetStarted(FleetTarget target)
    {
    }

    public void TargetStage(FleetTarget target, string stage)
    {
    }

    public void TargetFinished(TargetOutcome outcome)
    {
        lock (_gate)
        {
            output.WriteLine(FleetText.Line(outcome));
            output.Flush();
        }
    }
}
