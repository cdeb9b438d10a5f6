using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// The fleet's deployment log (<c>.log</c>), report (<c>.json</c>) and summary (<c>.md</c>) in the log
/// directory, beside the targets' own: every target with its outcome, and for each failure the command that
/// restores the backup that target took. Every text here is already masked.
/// </summary>
public static class FleetLogWriter
{
    /// <summary>Writes the three files; returns their paths, or a problem for the warnings (never a second error).</summary>
    public static (IReadOnlyList<string> Files, string? Problem) TryWrite(FleetReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            var files = DeployLogWriter.FilesFor(directory, report.StartedAt, "fleet-" + report.FleetId);
            return (DeployLogWriter.WriteSet(files, Log(report), Json(report, files), Markdown(report)), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], $"The fleet's deployment log could not be written to {directory}: {ex.Message.Split('\n')[0].Trim()}");
        }
    }

    public static string Log(FleetReport report)
    {
        var log = new StringBuilder();
        log.Append(CultureInfo.InvariantCulture, $"probeops-migrate {report.Command} over the fleet of {report.TargetsFile}\n");
        log.Append(CultureInfo.InvariantCulture, $"fleet id {report.FleetId}; started {report.StartedAt:u}, finished {report.FinishedAt:u}\n");
        log.Append(CultureInfo.InvariantCulture, $"waves {string.Join(" > ", report.Waves)}; parallel {report.Parallel}; onError {Policy(report.OnError)}\n\n");
        foreach (var target in report.Targets)
        {
            log.Append(CultureInfo.InvariantCulture, $"{FleetText.Line(target)}\n");
            if (target.Error is not null)
            {
                log.Append(CultureInfo.InvariantCulture, $"    error: {target.Error}\n");
            }

            if (target.RestoreCommand is not null)
            {
                log.Append(CultureInfo.InvariantCulture, $"    restore: {target.RestoreCommand}\n");
            }
        }

        log.Append(CultureInfo.InvariantCulture, $"\n{report.Summary()}\nexit code {report.ExitCode}\n");
        return log.ToString();
    }

    public static string Markdown(FleetReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Fleet {report.Command} {report.FleetId}\n\n{report.Summary()} Exit code {report.ExitCode}.\n\n");
        md.Append("| target | wave | database | outcome | exit | before | after | time |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var t in report.Targets)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {t.Target.Name} | {t.Target.Wave} | `{FleetText.Where(t)}` | {t.Outcome} | {t.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"} | {FleetText.Heads(t.HeadsBefore)} | {FleetText.Heads(t.HeadsAfter)} | {FleetText.Seconds(t)} |\n");
        }

        foreach (var t in report.Targets.Where(t => t.Error is not null))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {t.Target.Name}: {t.Outcome}\n\n{t.Error}\n");
            if (t.RestoreCommand is not null)
            {
                md.Append("\nRestore its backup with:\n\n```\n").Append(t.RestoreCommand).Append("\n```\n");
            }
        }

        return md.ToString();
    }

    /// <summary>The <c>.json</c> report: the same document as <c>--targets --json</c> (docs/json.md).</summary>
    public static byte[] Json(FleetReport report, IReadOnlyList<string> files) =>
        JsonText.ToUtf8(FleetReportDocument.From(report with { LogFiles = files }), ReportJsonContext.Default.FleetReportDocument);

    internal static string Policy(FleetErrorPolicy policy) => policy == FleetErrorPolicy.Stop ? "stop" : "continue";
}

/// <summary>How a target reads in one line of a log, a report or the terminal.</summary>
public static class FleetText
{
    public static string Line(TargetOutcome t) =>
        $"{t.Target.Name} [{t.Target.Wave}] {Where(t)}: {t.Outcome}" +
        (t.ExitCode is { } code and not 0 ? $" (exit {code.ToString(CultureInfo.InvariantCulture)})" : "") +
        (t.Started ? $", {Heads(t.HeadsBefore)} -> {Heads(t.HeadsAfter)}, {Seconds(t)}" : "") +
        (t.Detail is null ? "" : "; " + t.Detail);

    /// <summary>The masked database, and the schema of a schema target.</summary>
    public static string Where(TargetOutcome t) =>
        t.Target.Display + (t.Target.Schema is null ? "" : $" schema {t.Target.Schema}");

    public static string Heads(IReadOnlyList<string> heads) => heads.Count == 0 ? "-" : string.Join(",", heads);

    public static string Seconds(TargetOutcome t) => t.Started ? $"{t.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s" : "-";
}
