using System.Text.Json.Serialization;
using ProbeOps.Migrate.Deploy;

namespace ProbeOps.Migrate.Json;

/// <summary>
/// A deploy's or preflight's report: the <c>.json</c> file in the log directory (SPEC §8) and the
/// <c>deploy --json</c> / <c>preflight --json</c> document are this one record.
/// </summary>
public sealed record DeployReportDocument : CommandDocument
{
    public required string DeployId { get; init; }

    public required string Outcome { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required double DurationMs { get; init; }

    public required string? Environment { get; init; }

    public required bool Protected { get; init; }

    public required IReadOnlyList<string> AcceptedRisks { get; init; }

    public required string? Reason { get; init; }

    public required string? Database { get; init; }

    public required string? DatabaseState { get; init; }

    public required IReadOnlyList<StageDocument> Stages { get; init; }

    public required IReadOnlyList<string> HeadsBefore { get; init; }

    public required IReadOnlyList<string> HeadsAfter { get; init; }

    public required IReadOnlyList<string> Stamped { get; init; }

    public required IReadOnlyList<string> Pending { get; init; }

    public required IReadOnlyList<string> Applied { get; init; }

    public required IReadOnlyList<BackfillDocument> Backfills { get; init; }

    public required BackupDocument? Backup { get; init; }

    public required string? RestoreCommand { get; init; }

    public required bool RestorePasswordMasked { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required string? DriftCheck { get; init; }

    public required DeployLintDocument? Lint { get; init; }

    public required VersionsDocument? Versions { get; init; }

    /// <summary>The deployment log, report and summary files this run wrote.</summary>
    public required IReadOnlyList<string> LogFiles { get; init; }

    /// <summary>The document of <paramref name="report"/>; <paramref name="failure"/> adds detail the report's one line lacks.</summary>
    public static DeployReportDocument From(DeployReport report, IReadOnlyList<string> logFiles, MigrateException? failure = null) => new()
    {
        Command = report.Command,
        Error = failure is not null ? ErrorDocument.From(failure)
            : report.ExitCode == 0 ? null : new ErrorDocument((FailureKind)report.ExitCode, report.Error ?? "failed"),
        DeployId = report.DeployId,
        Outcome = report.Outcome,
        StartedAt = report.StartedAt,
        FinishedAt = report.FinishedAt,
        DurationMs = Math.Round((report.FinishedAt - report.StartedAt).TotalMilliseconds),
        Environment = report.Environment,
        Protected = report.Protected,
        AcceptedRisks = report.AcceptedRisks,
        Reason = report.Reason,
        Database = report.Database,
        DatabaseState = report.DatabaseState,
        Stages = report.Stages.Select(s => new StageDocument(s.Name, s.Outcome.ToString().ToLowerInvariant(), Math.Round(s.Elapsed.TotalMilliseconds, 1), s.Detail)).ToList(),
        HeadsBefore = report.HeadsBefore,
        HeadsAfter = report.HeadsAfter,
        Stamped = report.Stamped,
        Pending = report.Pending,
        Applied = report.Applied,
        Backfills = BackfillDocument.All(report.Backfills),
        Backup = report.Backup is { } backup ? BackupDocument.From(backup) : null,
        RestoreCommand = report.RestoreCommand,
        RestorePasswordMasked = report.RestorePasswordMasked,
        Warnings = report.Warnings,
        DriftCheck = report.DriftCheck,
        Lint = report.Lint is { } lint ? DeployLintDocument.From(lint, report.LintErrorsAllowed) : null,
        Versions = report.Versions is { } v ? new VersionsDocument { Tool = v.Tool, Server = v.Server, Clients = v.Clients.ToDictionary(c => c.Key, c => (object)c.Value) } : null,
        LogFiles = logFiles,
    };
}

/// <summary>One stage of the pipeline: <c>passed</c>, <c>warning</c>, <c>skipped</c> or <c>failed</c>.</summary>
public sealed record StageDocument(string Name, string Outcome, double ElapsedMs, string Detail);

/// <summary>The tool's, the server's and each client tool's version (<c>pg_dump</c>: ...), side by side.</summary>
public sealed record VersionsDocument
{
    public required string Tool { get; init; }

    public required string? Server { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object>? Clients { get; set; }
}
