using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// Writes a deploy's log (<c>.log</c>, for people), report (<c>.json</c>, for machines) and summary
/// (<c>.md</c>, for a CI job summary or a pull-request comment) into the log directory (SPEC §8).
/// Every text in a report is already masked; nothing here sees a password. The files are created
/// readable by their owner alone (0600), like the backups.
/// </summary>
public static class DeployLogWriter
{
    /// <summary>Writes the three files; a failure to write them is a warning, never a second error.</summary>
    public static IReadOnlyList<string> TryWrite(DeployReport report, string directory, List<string> warnings)
    {
        try
        {
            var files = FilesFor(directory, report.StartedAt, report.DeployId);
            return WriteSet(files, Log(report), Json(report, files), Markdown(report));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"The deployment log could not be written to {directory}: {ex.Message}");
            return [];
        }
    }

    /// <summary>The <c>.log</c>, <c>.json</c> and <c>.md</c> paths of run <paramref name="id"/>: <c>&lt;UTC time&gt;_&lt;id&gt;</c> in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> FilesFor(string directory, DateTimeOffset startedAt, string id)
    {
        var stem = Path.Combine(directory, $"{startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}_{id}");
        return [stem + ".log", stem + ".json", stem + ".md"];
    }

    /// <summary>Writes the three <paramref name="files"/> of <see cref="FilesFor"/>, each new and private (0600). Throws what the file system throws.</summary>
    public static IReadOnlyList<string> WriteSet(IReadOnlyList<string> files, string log, byte[] json, string markdown)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(files[0])!);
        PrivateFile.WriteNew(files[0], Encoding.UTF8.GetBytes(log));
        PrivateFile.WriteNew(files[1], json);
        PrivateFile.WriteNew(files[2], Encoding.UTF8.GetBytes(markdown));
        return files;
    }

    /// <summary>
    /// The reason the log directory cannot be written, or null when it can: creates the directory, then
    /// creates and removes a probe file in it. A deploy asks before it connects, so a log it could not
    /// write never follows a change it made (SPEC §8).
    /// </summary>
    public static MigrateException? CheckWritable(string directory)
    {
        var probe = Path.Combine(directory, $".probeops-migrate-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return new MigrateException(
                FailureKind.Usage,
                $"The deployment log directory {directory} cannot be written ({ex.Message.Split('\n')[0].Trim()}): make it writable or pass --log-dir DIR. Nothing was changed.");
        }
    }

    public static string Log(DeployReport report)
    {
        var log = new StringBuilder();
        log.Append(CultureInfo.InvariantCulture, $"probeops-migrate {report.Command} {report.DeployId}\n");
        log.Append(CultureInfo.InvariantCulture, $"started  {report.StartedAt:O}\nfinished {report.FinishedAt:O}\n");
        log.Append(CultureInfo.InvariantCulture, $"environment {EnvironmentText(report) ?? "(none: top-level settings)"}\n");
        log.Append(CultureInfo.InvariantCulture, $"database {report.Database ?? "(not resolved)"}\n");
        if (AcceptedText(report) is { } accepted)
        {
            log.Append(CultureInfo.InvariantCulture, $"accepted {accepted}\n");
        }

        if (report.Versions is { } versions)
        {
            log.Append(CultureInfo.InvariantCulture, $"versions tool {versions.Tool}; server {versions.Server}");
            foreach (var (name, version) in versions.Clients)
            {
                log.Append(CultureInfo.InvariantCulture, $"; {name} {version}");
            }

            log.Append('\n');
        }

        log.Append('\n');
        foreach (var stage in report.Stages)
        {
            log.Append(CultureInfo.InvariantCulture, $"[{Mark(stage.Outcome)}] {stage.Name,-9} {stage.Elapsed.TotalMilliseconds,8:0} ms  {stage.Detail}\n");
        }

        log.Append('\n');
        if (report.Stamped.Count > 0)
        {
            log.Append(CultureInfo.InvariantCulture, $"stamped  {string.Join(", ", report.Stamped)}\n");
        }

        if (report.DriftCheck is not null)
        {
            log.Append(CultureInfo.InvariantCulture, $"drift    {DriftChecks.Describe(report.DriftCheck)}\n");
        }

        log.Append(CultureInfo.InvariantCulture, $"applied  {(report.Applied.Count == 0 ? "(none)" : string.Join(", ", report.Applied))}\n");
        foreach (var backfill in report.Backfills)
        {
            log.Append(CultureInfo.InvariantCulture, $"backfill {BackfillText.Summary(backfill)}\n");
        }
        if (report.Backup is { } backup)
        {
            log.Append(CultureInfo.InvariantCulture, $"backup   {backup.Path}\nsha256   {backup.Sha256}\n");
            foreach (var removed in backup.Removed)
            {
                log.Append(CultureInfo.InvariantCulture, $"removed  {removed}\n");
            }
        }

        LintReportSection.Log(log, report);
        foreach (var warning in report.Warnings)
        {
            log.Append(CultureInfo.InvariantCulture, $"warning  {warning}\n");
        }

        log.Append(CultureInfo.InvariantCulture, $"outcome  {report.Outcome} (exit {report.ExitCode})\n");
        if (report.Error is not null)
        {
            log.Append(CultureInfo.InvariantCulture, $"error    {report.Error}\n");
        }

        if (report.RestoreCommand is not null)
        {
            log.Append(CultureInfo.InvariantCulture, $"restore  {report.RestoreCommand}\n");
            if (report.RestorePasswordMasked)
            {
                log.Append(CultureInfo.InvariantCulture, $"         ({RestoreCommandLine.PasswordNote})\n");
            }
        }

        return log.ToString();
    }

    public static string Markdown(DeployReport report)
    {
        var md = new StringBuilder();
        var title = !report.Succeeded ? $"failed (exit {report.ExitCode})"
            : report.Applied.Count > 0 ? $"{report.Applied.Count} applied"
            : report.Backfills.Count > 0 ? "backfills resumed" : "nothing to do";
        md.Append(CultureInfo.InvariantCulture, $"### Database deploy: {title}\n\n");
        var environment = EnvironmentText(report) is { } name ? $"environment `{name}` · " : "";
        md.Append(CultureInfo.InvariantCulture, $"{environment}`{report.Database ?? "(no database)"}` · deploy `{report.DeployId}` · {(report.FinishedAt - report.StartedAt).TotalSeconds:0.0} s\n\n");
        if (AcceptedText(report) is { } accepted)
        {
            md.Append("**Accepted:** ").Append(accepted).Append("\n\n");
        }

        md.Append("| stage | result | time | detail |\n|---|---|---:|---|\n");
        foreach (var stage in report.Stages)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {stage.Name} | {stage.Outcome.ToString().ToLowerInvariant()} | {stage.Elapsed.TotalMilliseconds:0} ms | {stage.Detail.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        if (report.Applied.Count > 0)
        {
            md.Append("\nApplied: ").Append(string.Join(", ", report.Applied.Select(a => $"`{a}`"))).Append('\n');
        }

        if (report.Backfills.Count > 0)
        {
            md.Append("\n| backfill | runs | rows | time | rows/s | finished |\n|---|---:|---:|---:|---:|---|\n");
            foreach (var b in report.Backfills)
            {
                md.Append(CultureInfo.InvariantCulture, $"| `{b.Revision}` | {b.Runs:N0} | {b.Rows:N0} | {b.Elapsed.TotalSeconds:0.0} s | {b.RowsPerSecond:N0} | {(b.Finished ? "yes" : "no")} |\n");
            }
        }

        if (report.Backup is { } backup)
        {
            md.Append(CultureInfo.InvariantCulture, $"\nBackup: `{Path.GetFileName(backup.Path)}` (sha256 `{backup.Sha256}`)\n");
            if (backup.Removed.Count > 0)
            {
                md.Append("\nRemoved by retention: ").Append(string.Join(", ", backup.Removed.Select(r => $"`{Path.GetFileName(r)}`"))).Append('\n');
            }
        }

        LintReportSection.Markdown(md, report);
        foreach (var warning in report.Warnings)
        {
            md.Append("\n> warning: ").Append(warning).Append('\n');
        }

        if (report.Error is not null)
        {
            md.Append("\n**Error:** ").Append(report.Error).Append('\n');
        }

        if (report.RestoreCommand is not null)
        {
            var note = report.RestorePasswordMasked ? $" ({RestoreCommandLine.PasswordNote})" : "";
            md.Append(CultureInfo.InvariantCulture, $"\nRestore with{note}:\n\n```\n").Append(report.RestoreCommand).Append("\n```\n");
        }

        return md.ToString();
    }

    /// <summary>The <c>.json</c> report: the same document as <c>deploy --json</c> (docs/json.md).</summary>
    public static byte[] Json(DeployReport report, IReadOnlyList<string> files) =>
        JsonText.ToUtf8(DeployReportDocument.From(report, files), ReportJsonContext.Default.DeployReportDocument);

    private static string? EnvironmentText(DeployReport report) => ProtectedEnvironment.Describe(report.Environment, report.Protected);

    /// <summary>The risks accepted and the reason given, for one line; null when there are neither.</summary>
    private static string? AcceptedText(DeployReport report)
    {
        if (report.AcceptedRisks.Count == 0 && report.Reason is null)
        {
            return null;
        }

        var flags = report.AcceptedRisks.Count == 0 ? "no risk-accepting flag" : string.Join(", ", report.AcceptedRisks);
        return report.Reason is null ? flags : $"{flags}; reason: {report.Reason}";
    }

    private static string Mark(StageOutcome outcome) => outcome switch
    {
        StageOutcome.Passed => " ok ",
        StageOutcome.Warning => "warn",
        StageOutcome.Skipped => "skip",
        _ => "FAIL",
    };
}
