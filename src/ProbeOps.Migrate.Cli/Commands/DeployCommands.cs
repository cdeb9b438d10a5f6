using System.CommandLine;
using ProbeOps.Migrate.Cli.Fleet;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>deploy</c> and <c>preflight</c>: the safe deploy pipeline and its read-only checks.</summary>
public static class DeployCommands
{
    public static Command Deploy(CliContext context)
    {
        var noBackup = new Option<bool>("--no-backup") { Description = "Apply without taking a backup first (client version problems become warnings)." };
        var stamp = StampOption();
        var allowDrift = new Option<bool>("--allow-drift") { Description = "Continue when the live schema differs from the expected one (needs --reason in a protected environment)." };
        var reason = ReasonOption();
        var allowLint = AllowLintErrorsOption();
        var allowHeads = new Option<bool>("--allow-multiple-heads") { Description = "Deploy every head of an unmerged graph." };
        var keep = new Option<int?>("--keep-backups") { Description = "Keep only the newest N backups of this database.", HelpName = "N" };
        var pgBin = PgBinDirOption();
        var transaction = new Option<string>("--transaction") { Description = "single: every pending migration in one transaction (default); per-migration: commit each.", DefaultValueFactory = _ => "single", HelpName = "MODE" };
        transaction.AcceptOnlyFromAmong("single", "per-migration");
        var targets = FleetCli.TargetsOption();
        var command = new Command("deploy", "The safe deploy: validate, connect, check versions, lock, inspect, lint, check drift, plan, back up, apply atomically, record. Exits at the first failing stage.")
        {
            noBackup, stamp, allowDrift, reason, allowLint, allowHeads, keep, pgBin, transaction, targets,
        };
        var drift = new DriftOptionSet();
        drift.AddTo(command);
        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = context.LoadSettings(result, withRunOptions: true) with { };
            settings = WithPgBin(settings, result.GetValue(pgBin), context);
            if (result.GetValue(keep) is < 1)
            {
                throw new MigrateException(FailureKind.Usage, "--keep-backups must be at least 1.");
            }

            var request = new DeployRequest
            {
                NoBackup = result.GetValue(noBackup),
                StampUnversioned = result.GetValue(stamp),
                AllowDrift = result.GetValue(allowDrift),
                Reason = result.GetValue(reason),
                AllowLintErrors = result.GetValue(allowLint),
                Drift = drift.Read(result, context),
                AllowMultipleHeads = result.GetValue(allowHeads),
                KeepBackups = result.GetValue(keep),
                Mode = result.GetValue(transaction) == "per-migration" ? TransactionMode.PerMigration : TransactionMode.Single,
                AskStamp = context.Console.CanPrompt && !context.IsJson(result) ? question => AskStamp(context, question) : null,
            };
            if (result.GetValue(targets) is { } targetsFile)
            {
                return await FleetCli.RunAsync(context, result, targetsFile, settings, (fleet, file, observer, stop) => fleet.DeployAsync(file, request, observer, stop), ct);
            }

            var commands = context.CreateCommands(settings);
            WriteEnvironment(context, result, settings, "Deploy");
            var outcome = await TerminalProgress.RunAsync(context.Console, new ProgressObserver(context.Console), observer => commands.DeployAsync(request, observer, ct));
            return Finish(context, result, outcome);
        }, cancellationToken));
        return command;
    }

    public static Command Preflight(CliContext context)
    {
        var noBackup = new Option<bool>("--no-backup") { Description = "The deploy will run without a backup: client version problems are warnings." };
        var allowHeads = new Option<bool>("--allow-multiple-heads") { Description = "Accept an unmerged graph." };
        var allowDrift = new Option<bool>("--allow-drift") { Description = "Report schema drift as a warning instead of failing (exit 9); needs --reason in a protected environment." };
        var reason = ReasonOption();
        var allowLint = AllowLintErrorsOption();
        var stamp = StampOption();
        var pgBin = PgBinDirOption();
        var targets = FleetCli.TargetsOption();
        var command = new Command("preflight", "Pre-deploy checks: files and graph, connectivity, client/server versions, history against files, lint of the pending migrations, live schema against the expected one. Changes nothing.")
        {
            noBackup, allowHeads, allowDrift, reason, allowLint, stamp, pgBin, targets,
        };
        var drift = new DriftOptionSet();
        drift.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = WithPgBin(context.LoadSettings(result), result.GetValue(pgBin), context);
            var request = new DeployRequest
            {
                NoBackup = result.GetValue(noBackup),
                AllowMultipleHeads = result.GetValue(allowHeads),
                AllowDrift = result.GetValue(allowDrift),
                Reason = result.GetValue(reason),
                AllowLintErrors = result.GetValue(allowLint),
                StampUnversioned = result.GetValue(stamp),
                Drift = drift.Read(result, context),
            };
            if (result.GetValue(targets) is { } targetsFile)
            {
                return await FleetCli.RunAsync(context, result, targetsFile, settings, (fleet, file, observer, stop) => fleet.PreflightAsync(file, request, observer, stop), ct);
            }

            var commands = context.CreateCommands(settings);
            WriteEnvironment(context, result, settings, "Preflight");
            var outcome = await TerminalProgress.RunAsync(context.Console, new ProgressObserver(context.Console), observer => commands.PreflightAsync(request, observer, ct));
            return Finish(context, result, outcome);
        }, cancellationToken));
        return command;
    }

    private static Option<string?> ReasonOption() => new("--reason")
    {
        Description = "Why a risk-accepting flag (--allow-drift, --allow-lint-errors) is given; required for one in a protected environment. Recorded in the report and the audit log.",
        HelpName = "TEXT",
    };

    /// <summary>The first line of a deploy or preflight in an environment, on stderr beside the stage lines (stdout keeps results and --json).</summary>
    private static void WriteEnvironment(CliContext context, ParseResult result, MigrateSettings settings, string verb)
    {
        if (ProtectedEnvironment.Describe(settings) is { } environment && !context.IsJson(result))
        {
            context.Console.Error.WriteLine($"{verb} in environment {environment}");
        }
    }

    private static Option<bool> AllowLintErrorsOption() =>
        new("--allow-lint-errors") { Description = "Lint errors in the pending migrations become warnings recorded in the deployment report instead of stopping (exit 3)." };

    private static Option<string?> StampOption() => new("--stamp-unversioned")
    {
        Description = "For a database with objects but no history: base (it holds the base revision), head (every revision), a revision id, " +
                      "or auto (the one revision whose expected schema it matches; refused when none or several match). Required when not on a terminal.",
        HelpName = "REV|base|head|auto",
    };

    internal static Option<string?> PgBinDirOption() =>
        new("--pg-bin-dir") { Description = "Directory holding pg_dump, pg_restore and psql (looked in before PATH).", HelpName = "DIR" };

    internal static MigrateSettings WithPgBin(MigrateSettings settings, string? pgBin, CliContext context) =>
        pgBin is null ? settings : settings with { PgBinDirectory = Path.GetFullPath(pgBin, context.WorkingDirectory) };

    private static int Finish(CliContext context, ParseResult result, DeployOutcome outcome)
    {
        var report = outcome.Report;
        if (context.IsJson(result))
        {
            context.WriteJson(result, DeployReportDocument.From(report, outcome.LogFiles, outcome.Failure), CliJsonContext.Default.DeployReportDocument);
        }

        if (!context.IsJson(result) && report.Lint is { } lint)
        {
            var lines = new LintRenderer(context.Console.Error, context.WorkingDirectory);
            foreach (var finding in lint.Findings)
            {
                lines.WriteHeadline(finding);
            }
        }

        foreach (var warning in report.Warnings)
        {
            context.Console.Error.WriteLine($"warning: {warning}");
        }

        if (outcome.Failure is { } failure)
        {
            if (!context.IsJson(result))
            {
                ErrorRenderer.Write(context.Console.Error, failure, context.WorkingDirectory);
            }
            else
            {
                context.Console.Error.WriteLine($"error: {failure.Message}");
            }

            if (report.RestoreCommand is not null)
            {
                WriteRestoreAdvice(context, report, failure);
            }
        }
        else if (!context.IsJson(result))
        {
            var summary = report.Command == "preflight"
                ? $"Preflight passed: {report.Pending.Count} migration{(report.Pending.Count == 1 ? "" : "s")} pending."
                : report.Applied.Count == 0 && report.Stamped.Count == 0
                    ? report.Backfills.Count > 0
                        ? $"Finished the backfill of {ShortList.Join(report.Backfills.Select(b => b.Revision))} on {report.Database}; now at {ShortList.Join(report.HeadsAfter)}."
                        : $"Nothing to deploy: {report.Database} is up to date."
                    : report.Applied.Count == 0
                    ? $"Stamped {report.Database} at {ShortList.Join(report.HeadsAfter)}: no migration needed to run."
                    : $"Deployed {report.Applied.Count} migration{(report.Applied.Count == 1 ? "" : "s")} to {report.Database}; now at {ShortList.Join(report.HeadsAfter)}.";
            context.Console.Out.WriteLine(summary);
        }

        if (outcome.LogFiles.Count > 0 && !context.IsJson(result))
        {
            context.Console.Error.WriteLine($"log: {ErrorRenderer.RelativePath(outcome.LogFiles[0], context.WorkingDirectory)}");
        }

        return report.ExitCode;
    }

    /// <summary>
    /// After a failed apply: what stayed (usually nothing, the transaction rolled back), then the restore
    /// command as the last resort it is, for a database that is not as the deploy found it.
    /// </summary>
    private static void WriteRestoreAdvice(CliContext context, DeployReport report, MigrateException failure)
    {
        var migration = failure as MigrationFailedException;
        var kept = report.Stamped.Concat(migration?.Committed ?? []).ToList();
        var partial = migration?.Partial is { } section && (section.ChangedSomething || section.HistoryFailed) ? section.Describe() : null;
        var stayed = new List<string>();
        if (kept.Count > 0)
        {
            stayed.Add($"committed before the failure and still in place: {ShortList.Join(kept)}");
        }

        if (partial is not null)
        {
            stayed.Add(partial);
        }

        context.Console.Error.WriteLine(stayed.Count == 0
            ? "Nothing changed: the deploy was rolled back and the database is as it was before it. Fix the migration and deploy again."
            : $"Not everything was rolled back: {string.Join("; ", stayed)}.");
        var note = report.RestorePasswordMasked ? $" ({RestoreCommandLine.PasswordNote})" : "";
        context.Console.Error.WriteLine($"Last resort, only if the database is not as it should be: the backup taken before this deploy restores it{note}: {report.RestoreCommand}");
    }

    private static string? AskStamp(CliContext context, StampQuestion question)
    {
        var error = context.Console.Error;
        error.WriteLine($"The database has objects but no migration history ({string.Join(", ", question.Objects)}{(question.Objects.Count >= 10 ? ", ..." : "")}).");
        error.Write($"Stamp it as which revision? [base = {question.BaseRevision}; head; a revision id; auto = the one its schema matches; empty to stop]: ");
        var answer = context.Console.In.ReadLine()?.Trim();
        return answer is null or "" or "n" or "no" or "stop" ? null : answer;
    }
}
