using System.CommandLine;
using ProbeOps.Migrate.Cli.Fleet;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary>The commands that read or change a database: current, status, upgrade, downgrade, stamp.</summary>
public static class DatabaseCommands
{
    public static Command Current(CliContext context)
    {
        var command = new Command("current", "Show the database's applied head revision(s).");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var current = await context.CreateCommands(context.LoadSettings(result)).CurrentAsync(ct);
            if (context.IsJson(result))
            {
                return context.WriteJson(result, new CurrentDocument(current.Database, current.Heads, current.AppliedCount), CliJsonContext.Default.CurrentDocument);
            }

            context.Console.Out.WriteLine(current.Heads.Count == 0 ? "(base: nothing applied)" : string.Join(Environment.NewLine, current.Heads));
            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Status(CliContext context)
    {
        var check = new Option<bool>("--check") { Description = "Exit 3 when anything needs attention: a pending revision, a file edited since applied, an applied revision the files do not know, a section left part-way." };
        var targets = FleetCli.TargetsOption();
        var command = new Command("status", "Show applied and pending revisions, files edited since applied, applied revisions the files do not know, applied C# code migrations (run by the library, never by this tool), and transaction:false sections a failed run left part-way.") { check, targets };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = context.LoadSettings(result);
            if (result.GetValue(targets) is { } targetsFile)
            {
                var failOnAttention = result.GetValue(check);
                return await FleetCli.RunAsync(context, result, targetsFile, settings, (fleet, file, observer, stop) => fleet.StatusAsync(file, failOnAttention, observer, stop), ct);
            }

            var status = await context.CreateCommands(settings).StatusAsync(ct);
            var error = CheckError(result.GetValue(check), status);
            if (context.IsJson(result))
            {
                context.WriteJson(result, StatusJson(settings, status) with { Error = error }, CliJsonContext.Default.StatusDocument);
            }
            else
            {
                WriteStatus(context, settings, status);
            }

            if (error is null)
            {
                return 0;
            }

            context.Console.Error.WriteLine($"error: {error.Message}");
            return (int)error.Failure;
        }, cancellationToken));
        return command;
    }

    /// <summary><c>status --check</c>: exit 3 (history and files disagree, SPEC §9) with one line when anything needs attention.</summary>
    private static ErrorDocument? CheckError(bool check, StatusResult status)
    {
        var attention = status.NeedingAttention();
        return !check || attention.Count == 0
            ? null
            : new ErrorDocument(FailureKind.InvalidMigrations, $"status check failed: {string.Join(", ", attention)}; `probeops-migrate status` lists them.");
    }

    private static StatusDocument StatusJson(MigrateSettings settings, StatusResult status) => new(
        settings.Environment,
        settings.Protected,
        status.Database,
        status.IsUpToDate,
        status.AppliedHeads,
        status.Applied.Select(r => new AppliedDocument(r.Revision, r.AppliedAt, r.AppliedBy, r.ExecutionMilliseconds, r.DeployId, r.IsBackfilling ? "backfilling" : "applied")).ToList(),
        status.Backfilling.Select(b => new BackfillingDocument(b.Revision, b.NextStatement, b.Statements)).ToList(),
        status.Pending.Select(p => p.Id).ToList(),
        status.PendingRepeatables.Select(p => new PendingRepeatableDocument(p.Repeatable.Name, p.Repeatable.Path, p.Repeatable.Checksum, p.Changed)).ToList(),
        status.Edited.Select(e => new EditedDocument(e.Revision, e.File, e.Recorded, e.Current)).ToList(),
        status.Unknown.Select(u => u.Revision).ToList(),
        status.Code.Select(c => c.Revision).ToList(),
        status.Partial.Select(p => new PartialDocument(p.Revision, p.Operation, p.DeployId, p.At, p.Detail)).ToList());

    private static void WriteStatus(CliContext context, MigrateSettings settings, StatusResult status)
    {
        var output = context.Console.Out;
        if (ProtectedEnvironment.Describe(settings) is { } environment)
        {
            output.WriteLine($"Environment: {environment}");
        }

        output.WriteLine($"Database: {status.Database}");
        output.WriteLine($"Current:  {(status.AppliedHeads.Count == 0 ? "(base: nothing applied)" : string.Join(", ", status.AppliedHeads))}");
        output.WriteLine($"Applied:  {status.Applied.Count}");
        output.WriteLine($"Pending:  {status.Pending.Count + status.PendingRepeatables.Count}");
        foreach (var backfill in status.Backfilling)
        {
            output.WriteLine($"  backfilling  {backfill.Revision}  statement {backfill.NextStatement} of {backfill.Statements} next; the next upgrade or deploy resumes it");
        }

        foreach (var pending in status.Pending)
        {
            output.WriteLine($"  pending  {pending.Id}{(pending.Message is null ? "" : "  " + pending.Message)}");
        }

        foreach (var pending in status.PendingRepeatables)
        {
            output.WriteLine($"  pending  {pending.Repeatable.Id}  {(pending.Changed ? "changed since it was last applied" : "never applied")}");
        }

        foreach (var edit in status.Edited)
        {
            output.WriteLine($"  EDITED   {edit.Revision}  {ErrorRenderer.RelativePath(edit.File, context.WorkingDirectory)} changed since it was applied");
        }

        foreach (var code in status.Code)
        {
            output.WriteLine($"  code     {code.Revision}  applied {code.AppliedAt:u}: a C# code migration, run by the library (this tool cannot load code)");
        }

        foreach (var unknown in status.Unknown)
        {
            output.WriteLine($"  UNKNOWN  {unknown.Revision}  applied {unknown.AppliedAt:u} but no file has it");
        }

        foreach (var partial in status.Partial)
        {
            output.WriteLine($"  PARTIAL  {partial.Revision}  {partial.Operation} {partial.DeployId} at {partial.At:u} stopped part-way: {partial.Detail}; the next {partial.Operation} runs the section again from its first statement");
        }

        if (status.IsUpToDate)
        {
            output.WriteLine("Up to date.");
        }
    }

    public static Command Upgrade(CliContext context) => Run(context, MigrationDirection.Upgrade);

    public static Command Downgrade(CliContext context) => Run(context, MigrationDirection.Downgrade);

    private static Command Run(CliContext context, MigrationDirection direction)
    {
        var upgrade = direction == MigrationDirection.Upgrade;
        var target = upgrade
            ? new Argument<string>("TARGET") { Description = "head (default), heads, a revision id or unique prefix, or +N; with --sql also FROM:TO.", DefaultValueFactory = _ => "head" }
            : new Argument<string>("TARGET") { Description = "base (nothing applied), a revision id or unique prefix, or -N; with --sql also FROM:TO." };
        var sql = new Option<bool>("--sql") { Description = "Print the SQL that would run, history writes included, and change nothing. FROM:TO (or no database configured) needs no database." };
        var dialect = DialectOption.Create("With --sql and no database: write postgresql or sqlite SQL (default: the configured database's, else postgresql).");
        var dryRun = new Option<bool>("--dry-run") { Description = "Run everything in one transaction, then roll it back." };
        var transaction = new Option<string>("--transaction") { Description = "single: all pending migrations in one transaction (default); per-migration: commit each.", DefaultValueFactory = _ => "single", HelpName = "MODE" };
        transaction.AcceptOnlyFromAmong("single", "per-migration");
        var confirm = new Option<string?>("--confirm") { Description = "The database's name, confirming the downgrade (required in a protected environment).", HelpName = "DBNAME" };
        var command = upgrade
            ? new Command("upgrade", "Apply migrations up to TARGET (default head) under the migration lock, atomically. C# code migrations are run by the library, not by this tool.")
            : new Command("downgrade", "Revert applied migrations down to TARGET (base: revert everything) under the migration lock.");
        command.Arguments.Add(target);
        command.Options.Add(sql);
        command.Options.Add(dialect);
        command.Options.Add(dryRun);
        command.Options.Add(transaction);
        if (!upgrade)
        {
            command.Options.Add(confirm);
        }

        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = context.LoadSettings(result, withRunOptions: true);
            var mode = result.GetValue(transaction) == "per-migration" ? TransactionMode.PerMigration : TransactionMode.Single;
            if (result.GetValue(sql) && result.GetValue(dryRun))
            {
                throw new MigrateException(FailureKind.Usage, "--sql and --dry-run do not go together: --sql runs nothing, --dry-run runs and rolls back.");
            }

            if (result.GetValue(sql))
            {
                return WriteScript(context, result, await ScriptAsync(context, settings, direction, result.GetValue(target)!, DialectOption.Chosen(result, dialect), mode, ct));
            }

            if (result.GetValue(dialect) is not null)
            {
                throw new MigrateException(FailureKind.Usage, "--dialect goes with --sql: a run uses the database's own dialect.");
            }

            var request = new RunRequest(result.GetValue(target)!, mode, result.GetValue(dryRun), upgrade ? null : result.GetValue(confirm));
            if (RunVerb.NeedsConfirmation(direction, request, settings.Protected))
            {
                var name = context.Confirmation(result, confirm, context.CreateCommands(settings), $"This downgrade in the protected environment {settings.Environment} reverts migrations in");
                request = request with { Confirm = name };
            }

            var run = await TerminalProgress.RunAsync(context.Console, new ProgressObserver(context.Console), observer =>
            {
                var commands = context.CreateCommands(settings, observer);
                return upgrade ? commands.UpgradeAsync(request, ct) : commands.DowngradeAsync(request, ct);
            });
            return WriteRun(context, result, run);
        }, cancellationToken));
        return command;
    }

    private static int WriteScript(CliContext context, ParseResult result, ScriptResult script)
    {
        if (context.IsJson(result))
        {
            return context.WriteJson(result, new ScriptDocument(script.Database, script.Target, script.Revisions, script.Sql), CliJsonContext.Default.ScriptDocument);
        }

        context.Console.Out.Write(script.Sql);
        return 0;
    }

    /// <summary>
    /// The script of <c>--sql</c>: from the database's history when one is configured and no range is given;
    /// otherwise without connecting, from the range's start (<c>base</c> when there is none).
    /// </summary>
    private static Task<ScriptResult> ScriptAsync(
        CliContext context, MigrateSettings settings, MigrationDirection direction, string targetText, ISqlDialect? dialect, TransactionMode mode, CancellationToken ct)
    {
        var range = ScriptRange.Parse(targetText);
        var commands = context.CreateCommands(settings);
        if (range.From is null && settings.Database is not null)
        {
            return dialect is null
                ? commands.ScriptAsync(direction, targetText, mode, ct)
                : throw new MigrateException(FailureKind.Usage, "--dialect is for a script written without a database: give a range FROM:TO, or leave --dialect out to use the database's.");
        }

        return Task.FromResult(commands.WriteOfflineScript(direction, range, dialect, mode));
    }

    private static int WriteRun(CliContext context, ParseResult result, RunResult run)
    {
        if (context.IsJson(result))
        {
            var document = new RunDocument(
                run.Database,
                run.Direction.ToString().ToLowerInvariant(),
                run.Target,
                run.DryRun,
                run.DeployId,
                run.HeadsBefore,
                run.HeadsAfter,
                run.Steps.Select(s => new StepDocument(s.Revision, s.ExecutionMilliseconds)).ToList(),
                BackfillDocument.All(run.Backfills),
                run.AbandonedBackfills.Select(a => a.Revision).ToList());
            return context.WriteJson(result, document, CliJsonContext.Default.RunDocument);
        }

        var output = context.Console.Out;
        var verb = run.Direction == MigrationDirection.Upgrade ? "applied" : "reverted";
        if (run.Steps.Count == 0 && run.Backfills.Count == 0)
        {
            output.WriteLine($"Nothing to do: {run.Database} is at {(run.HeadsBefore.Count == 0 ? "base" : ShortList.Join(run.HeadsBefore))}.");
            return 0;
        }

        foreach (var step in run.Steps)
        {
            output.WriteLine($"{verb} {step.Revision} ({step.ExecutionMilliseconds} ms)");
        }

        foreach (var backfill in run.Backfills)
        {
            output.WriteLine($"backfill {BackfillText.Summary(backfill)}{(run.DryRun ? " (one run of each statement, rolled back)" : "")}");
        }

        foreach (var abandoned in run.AbandonedBackfills)
        {
            output.WriteLine($"note: {BackfillText.Abandoned(abandoned)}.");
        }

        output.WriteLine(run.DryRun
            ? $"Dry run: {run.Steps.Count} migration{(run.Steps.Count == 1 ? "" : "s")} ran and were rolled back; nothing changed."
            : $"Done: {run.Steps.Count} migration{(run.Steps.Count == 1 ? "" : "s")} {verb}{(run.Backfills.Count == 0 ? "" : ", " + BackfillText.Plural(run.Backfills.Count, "backfill") + " finished")}; now at {(run.HeadsAfter.Count == 0 ? "base" : ShortList.Join(run.HeadsAfter))}.");
        return 0;
    }

    public static Command Stamp(CliContext context)
    {
        var target = new Argument<string>("TARGET") { Description = "A revision (recorded with its ancestors), head, heads, or base (nothing applied: clears the history)." };
        var command = new Command("stamp", "Record TARGET as applied without running any SQL. Here base means nothing applied.") { target };
        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var stamp = await context.CreateCommands(context.LoadSettings(result, withRunOptions: true)).StampAsync(result.GetValue(target)!, ct);
            if (context.IsJson(result))
            {
                var document = new StampDocument(stamp.Database, stamp.Target, stamp.HeadsBefore, stamp.HeadsAfter, stamp.Recorded);
                return context.WriteJson(result, document, CliJsonContext.Default.StampDocument);
            }

            context.Console.Out.WriteLine($"Stamped {stamp.Database} at {(stamp.HeadsAfter.Count == 0 ? "base (history cleared)" : ShortList.Join(stamp.HeadsAfter))}; {stamp.Recorded} revision{(stamp.Recorded == 1 ? "" : "s")} recorded, no SQL run.");
            return 0;
        }, cancellationToken));
        return command;
    }
}
