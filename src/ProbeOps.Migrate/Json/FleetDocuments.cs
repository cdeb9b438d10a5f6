using ProbeOps.Migrate.Fleet;

namespace ProbeOps.Migrate.Json;

/// <summary>
/// A fleet run (<c>--targets</c>, SPEC §12): the <c>.json</c> fleet report in the log directory and the
/// <c>--json</c> document of <c>deploy</c>, <c>preflight</c>, <c>status</c> and <c>drift</c> with <c>--targets</c>.
/// </summary>
public sealed record FleetReportDocument : CommandDocument
{
    public required string FleetId { get; init; }

    public required string TargetsFile { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required int Parallel { get; init; }

    public required IReadOnlyList<string> Waves { get; init; }

    /// <summary><c>stop</c> or <c>continue</c>.</summary>
    public required string OnError { get; init; }

    /// <summary>Whether SIGINT or SIGTERM stopped the run: running targets rolled back, the rest were skipped.</summary>
    public required bool StopRequested { get; init; }

    public required IReadOnlyList<TargetDocument> Targets { get; init; }

    /// <summary>The fleet's own deployment log, report and summary files.</summary>
    public required IReadOnlyList<string> LogFiles { get; init; }

    public static FleetReportDocument From(FleetReport report) => new()
    {
        Command = report.Command,
        Error = report.ExitCode == 0 ? null : new ErrorDocument((FailureKind)report.ExitCode, FirstFailure(report)),
        FleetId = report.FleetId,
        TargetsFile = report.TargetsFile,
        StartedAt = report.StartedAt,
        FinishedAt = report.FinishedAt,
        Parallel = report.Parallel,
        Waves = report.Waves,
        OnError = FleetLogWriter.Policy(report.OnError),
        StopRequested = report.StopRequested,
        Targets = report.Targets.Select(TargetDocument.From).ToList(),
        LogFiles = report.LogFiles,
    };

    private static string FirstFailure(FleetReport report) =>
        report.Targets.FirstOrDefault(t => t.Failed && t.Error is not null) is { } failed
            ? $"{failed.Target.Name}: {failed.Error}"
            : report.Summary();
}

/// <summary>One target of a fleet run: where it is, what happened, and how to restore it when it failed.</summary>
public sealed record TargetDocument(
    string Name,
    int? ExitCode,
    string Outcome,
    IReadOnlyList<string> Applied,
    string Wave,
    string Database,
    string? Schema,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> HeadsBefore,
    IReadOnlyList<string> HeadsAfter,
    string? Detail,
    string? Error,
    string? RestoreCommand,
    double DurationMs,
    IReadOnlyList<string> LogFiles)
{
    public static TargetDocument From(TargetOutcome t) => new(
        t.Target.Name,
        t.ExitCode,
        t.Outcome,
        t.Applied,
        t.Target.Wave,
        t.Target.Display,
        t.Target.Schema,
        t.Pending,
        t.HeadsBefore,
        t.HeadsAfter,
        t.Detail,
        t.Error,
        t.RestoreCommand,
        Math.Round(t.Elapsed.TotalMilliseconds),
        t.LogFiles);
}
