namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// A fleet command as it ran: its settings and every target's outcome in the file's order. The payload of
/// <c>--json</c> and of the fleet's deployment report (<see cref="FleetLogWriter"/>).
/// </summary>
public sealed record FleetReport
{
    public required string FleetId { get; init; }

    /// <summary><c>deploy</c>, <c>preflight</c>, <c>status</c> or <c>drift</c>.</summary>
    public required string Command { get; init; }

    public required string TargetsFile { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required int Parallel { get; init; }

    public required IReadOnlyList<string> Waves { get; init; }

    public required FleetErrorPolicy OnError { get; init; }

    /// <summary>Whether a stop request (SIGINT/SIGTERM) ended the run early.</summary>
    public bool StopRequested { get; init; }

    public required IReadOnlyList<TargetOutcome> Targets { get; init; }

    /// <summary>Why the fleet's deployment log could not be written, when it could not.</summary>
    public string? Warning { get; init; }

    /// <summary>The fleet's deployment log and report files, once written.</summary>
    public IReadOnlyList<string> LogFiles { get; init; } = [];

    /// <summary>
    /// 0 when every target succeeded; otherwise the exit code of the first failed target in the file's order
    /// (SPEC §12). A run stopped by a signal before every target ran is exit 1 even when none failed.
    /// </summary>
    public int ExitCode =>
        Targets.FirstOrDefault(t => t.Failed) is { } failed ? failed.ExitCode is null or 0 ? (int)FailureKind.Internal : failed.ExitCode.Value
        : StopRequested && Targets.Any(t => !t.Started) ? (int)FailureKind.Internal
        : 0;

    public IReadOnlyList<TargetOutcome> Interrupted => [.. Targets.Where(t => t.Outcome == TargetOutcomes.Interrupted)];

    /// <summary>How many targets ended with each outcome, in the order outcomes first appear: <c>3 succeeded, 1 failed</c>.</summary>
    public string Tally() => string.Join(", ", Targets.GroupBy(t => t.Outcome).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>The one line that ends a fleet command's output.</summary>
    public string Summary()
    {
        var verb = Command switch { "deploy" => "Deployed", "preflight" => "Preflight of", "status" => "Status of", _ => "Drift check of" };
        var head = $"{verb} {Targets.Count} target{(Targets.Count == 1 ? "" : "s")}: {Tally()}.";
        if (StopRequested)
        {
            head += " Stopped by a signal: no target started after it" +
                    (Interrupted.Count > 0 ? $"; interrupted and rolled back: {string.Join(", ", Interrupted.Select(t => t.Target.Name))}." : ".");
        }

        return head;
    }
}
