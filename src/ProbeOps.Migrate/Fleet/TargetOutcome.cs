namespace ProbeOps.Migrate.Fleet;

/// <summary>The outcome words of a fleet's targets that every command shares (SPEC §12).</summary>
public static class TargetOutcomes
{
    public const string Succeeded = "succeeded";
    public const string NothingToDo = "nothing-to-do";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";
    public const string Skipped = "skipped";
}

/// <summary>
/// How one target of a fleet ended. Every text in it is safe to show: the database is its masked display,
/// errors and restore commands are the masked ones a single-database run prints.
/// </summary>
public sealed record TargetOutcome
{
    public required FleetTarget Target { get; init; }

    /// <summary>A <see cref="TargetOutcomes"/> word, or the command's own (status: <c>behind</c>, <c>ahead</c>...).</summary>
    public required string Outcome { get; init; }

    /// <summary>The target's exit code (SPEC §9); null for a target never started.</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<string> Applied { get; init; } = [];

    public IReadOnlyList<string> Pending { get; init; } = [];

    public IReadOnlyList<string> HeadsBefore { get; init; } = [];

    public IReadOnlyList<string> HeadsAfter { get; init; } = [];

    /// <summary>One line about the target beyond its outcome (what is pending, edited, drifted).</summary>
    public string? Detail { get; init; }

    public string? Error { get; init; }

    /// <summary>For a failed deploy that took a backup: the command that restores it.</summary>
    public string? RestoreCommand { get; init; }

    public bool RestorePasswordMasked { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>The target's own deployment log and report files.</summary>
    public IReadOnlyList<string> LogFiles { get; init; } = [];

    public bool Started => Outcome != TargetOutcomes.Skipped;

    /// <summary>Whether it counts against the fleet: a non-zero exit, or interrupted.</summary>
    public bool Failed => ExitCode is not (null or 0) || Outcome == TargetOutcomes.Interrupted;

    public static TargetOutcome Skipped(FleetTarget target) => new() { Target = target, Outcome = TargetOutcomes.Skipped };

    public static TargetOutcome Failure(FleetTarget target, MigrateException failure, TimeSpan elapsed) => new()
    {
        Target = target,
        Outcome = TargetOutcomes.Failed,
        ExitCode = (int)failure.Kind,
        Error = failure.Message,
        Elapsed = elapsed,
    };
}

/// <summary>Hears a fleet's targets start, move from stage to stage, and finish. Called from several threads at once.</summary>
public interface IFleetObserver
{
    /// <summary>The targets, once resolved, in the file's order; none has started.</summary>
    void TargetsResolved(IReadOnlyList<FleetTarget> targets);

    void TargetStarted(FleetTarget target);

    void TargetStage(FleetTarget target, string stage);

    void TargetFinished(TargetOutcome outcome);
}

/// <summary>The command a fleet runs on each target: one object, scheduled once per target by <see cref="FleetRunner"/>.</summary>
public interface ITargetCommand
{
    /// <summary>Runs on one target. A <see cref="MigrateException"/> thrown is the target's failure, not the fleet's.</summary>
    Task<TargetOutcome> RunAsync(FleetTarget target, IFleetObserver observer, CancellationToken cancellationToken);
}
