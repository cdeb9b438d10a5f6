using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Deploy;

/// <summary>The stages of a deploy, in order (SPEC §6). Preflight runs the read-only ones.</summary>
public static class DeployStages
{
    public const string Validate = "validate";
    public const string Connect = "connect";
    public const string Versions = "versions";
    public const string Lock = "lock";
    public const string Inspect = "inspect";
    public const string Lint = "lint";
    public const string Drift = "drift";
    public const string Plan = "plan";
    public const string Backup = "backup";
    public const string Apply = "apply";
    public const string Record = "record";
}

public enum StageOutcome
{
    Passed,
    Warning,
    Skipped,
    Failed,
}

/// <summary>One stage as it ran: how it ended, how long it took, and one line about it.</summary>
public sealed record StageReport(string Name, StageOutcome Outcome, TimeSpan Elapsed, string Detail);

/// <summary>The versions a deploy saw, for the report.</summary>
public sealed record VersionReport(string Tool, string? Server, IReadOnlyDictionary<string, string> Clients);

/// <summary>Everything a deploy (or preflight) did, written to the deployment log and report (SPEC §8).</summary>
public sealed record DeployReport
{
    public required string DeployId { get; init; }

    public required string Command { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>The environment of the config file the run used (SPEC §14); null: its top-level settings.</summary>
    public string? Environment { get; init; }

    public bool Protected { get; init; }

    /// <summary>The risk-accepting flags given (<see cref="RiskAcceptingFlags"/>), and the reason given for them.</summary>
    public IReadOnlyList<string> AcceptedRisks { get; init; } = [];

    public string? Reason { get; init; }

    /// <summary>The database, masked.</summary>
    public string? Database { get; init; }

    /// <summary><c>succeeded</c>, <c>nothing-to-do</c> or <c>failed</c>.</summary>
    public string Outcome { get; init; } = "failed";

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<StageReport> Stages { get; init; } = [];

    public string? DatabaseState { get; init; }

    public IReadOnlyList<string> HeadsBefore { get; init; } = [];

    public IReadOnlyList<string> HeadsAfter { get; init; } = [];

    public IReadOnlyList<string> Stamped { get; init; } = [];

    public IReadOnlyList<string> Applied { get; init; } = [];

    public IReadOnlyList<string> Pending { get; init; } = [];

    /// <summary>The backfills the deploy ran, finished or not, with their runs, rows and time.</summary>
    public IReadOnlyList<Execution.BackfillResult> Backfills { get; init; } = [];

    public BackupInfo? Backup { get; init; }

    /// <summary>The command that restores the backup taken by this deploy, when one was taken and the run failed after it.</summary>
    public string? RestoreCommand { get; init; }

    /// <summary>Whether <see cref="RestoreCommand"/> holds a masked password the user must put back (<see cref="RestoreCommandLine.PasswordNote"/>).</summary>
    public bool RestorePasswordMasked { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The expected-schema check the drift stage made: <c>shadow-replay</c>, <c>cached-replay</c>, <c>snapshot</c>, <c>recorded-schema</c> or <c>none</c>; null when it was skipped or not reached.</summary>
    public string? DriftCheck { get; init; }

    public VersionReport? Versions { get; init; }

    /// <summary>What lint found in the pending revisions; null when the run ended before the lint stage.</summary>
    public LintReport? Lint { get; init; }

    /// <summary>Whether <c>--allow-lint-errors</c> was given: lint errors were recorded as warnings.</summary>
    public bool LintErrorsAllowed { get; init; }

    public bool Succeeded => ExitCode == 0;
}
