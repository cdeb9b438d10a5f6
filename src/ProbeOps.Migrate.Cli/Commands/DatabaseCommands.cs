using System.CommandLine;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;

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
                JsonOutput.Write(context.Console.Out, w =>
                {
                    w.WriteBoolean("ok", true);
                    w.WriteString("database", current.Database);
                    w.WriteStrings("heads", current.Heads);
                    w.WriteNumber("applied", current.AppliedCount);
                });
                return 0;
            }

            context.Console.Out.WriteLine(current.Heads.Count == 0 ? "(base: nothing applied)" : string.Join(Environment.NewLine, current.Heads));
            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Status(CliContext context)
    {
        var command = new Command("status", "Show applied and pending revisions, files edited since applied, and applied revisions the files do not know.");
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var status = await context.CreateCommands(context.LoadSettings(result)).StatusAsync(ct);
            if (context.IsJson(result))
            {
                JsonOutput.Write(context.Console.Out, w =>
                {
                    w.WriteBoolean("ok", true);
                    w.WriteString("database", status.Database);
                    w.WriteBoolean("upToDate", status.IsUpToDate);
                    w.WriteStrings("heads", status.AppliedHeads);
                    w.WriteStartArray("applied");
                    foreach (var row in status.Applied)
                    {
                        w.WriteStartObject();
                        w.WriteString("revision", row.Revision);
                        w.WriteString("appliedAt", row.AppliedAt);
                        w.WriteString("appliedBy", row.AppliedBy);
                        w.WriteNumber("executionMs", row.ExecutionMilliseconds);
                        w.WriteString("deployId", row.DeployId);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStrings("pending", status.Pending.Select(p => p.Id));
                    w.WriteStartArray("pendingRepeatables");
                    foreach (var pending in status.PendingRepeatables)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", pending.Repeatable.Name);
                        w.WriteString("file", pending.Repeatable.Path);
                        w.WriteString("checksum", pending.Repeatable.Checksum);
                        w.WriteBoolean("changed", pending.Changed);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStartArray("edited");
                    foreach (var edit in status.Edited)
                    {
                        w.WriteStartObject();
                        w.WriteString("revision", edit.Revision);
                        w.WriteString("file", edit.File);
                        w.WriteString("recordedChecksum", edit.Recorded);
                        w.WriteString("currentChecksum", edit.Current);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteStrings("unknown", status.Unknown.Select(u => u.Revision));
                });
                return 0;
            }

            var output = context.Console.Out;
            output.WriteLine($"Database: {status.Database}");
            output.WriteLine($"Current:  {(status.AppliedHeads.Count == 0 ? "(base: nothing applied)" : string.Join(", ", status.AppliedHeads))}");
            output.WriteLine($"Applied:  {status.Applied.Count}");
            output.WriteLine($"Pending:  {status.Pending.Count + status.PendingRepeatables.Count}");
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

            foreach (var unknown in status.Unknown)
            {
                output.WriteLine($"  UNKNOWN  {unknown.Revision}  applied {unknown.AppliedAt:u} but no file has it");
            }

            if (status.IsUpToDate)
            {
                output.WriteLine("Up to date.");
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    public static Command Upgrade(CliContext context) => Run(context, MigrationDirection.Upgrade);

    public static Command Downgrade(CliContext context) => Run(context, MigrationDirection.Downgrade);

    private static Command Run(CliContext context, MigrationDirection direction)
    {
        var upgrade = direction == MigrationDirection.Upgrade;
        var target = upgrade
            ? new Argument<string>("TARGET") { Description = "head (default), heads, a revision id or unique prefix, or +N.", DefaultValueFactory = _ => "head" }
            : new Argument<string>("TARGET") { Description = "base (nothing applied), a revision id or unique prefix, or -N." };
        var sql = new Option<bool>("--sql") { Description = "Print the SQL that would run, history writes included, and change nothing." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run everything in one transaction, then roll it back." };
        var transaction = new Option<string>("--transaction") { Description = "single: all pending migrations in one transaction (default); per-migration: commit each.", DefaultValueFactory = _ => "single", HelpName = "MODE" };
        transaction.AcceptOnlyFromAmong("single", "per-migration");
        var command = upgrade
            ? new Command("upgrade", "Apply migrations up to TARGET (default head) under the migration lock, atomically.")
            : new Command("downgrade", "Revert applied migrations down to TARGET (base: revert everything) under the migration lock.");
        command.Arguments.Add(target);
        command.Options.Add(sql);
        command.Options.Add(dryRun);
        command.Options.Add(transaction);
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
                var script = await context.CreateCommands(settings).ScriptAsync(direction, result.GetValue(target)!, mode, ct);
                if (context.IsJson(result))
                {
                    JsonOutput.Write(context.Console.Out, w =>
                    {
                        w.WriteBoolean("ok", true);
                        w.WriteString("database", script.Database);
                        w.WriteString("target", script.Target);
                        w.WriteStrings("revisions", script.Revisions);
                        w.WriteString("sql", script.Sql);
                    });
                }
                else
                {
                    context.Console.Out.Write(script.Sql);
                }

                return 0;
            }

            var request = new RunRequest(result.GetValue(target)!, mode, result.GetValue(dryRun));
            var run = await TerminalProgress.RunAsync(context.Console, new ProgressObserver(context.Console), observer =>
            {
                var commands = context.CreateCommands(settings, observer);
                return upgrade ? commands.UpgradeAsync(request, ct) : commands.DowngradeAsync(request, ct);
            });
            WriteRun(context, result, run);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static void WriteRun(CliContext context, ParseResult result, RunResult run)
    {
        if (context.IsJson(result))
        {
            JsonOutput.Write(context.Console.Out, w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteString("database", run.Database);
                w.WriteString("direction", run.Direction.ToString().ToLowerInvariant());
                w.WriteString("target", run.Target);
                w.WriteBoolean("dryRun", run.DryRun);
                w.WriteString("deployId", run.DeployId);
                w.WriteStrings("headsBefore", run.HeadsBefore);
                w.WriteStrings("headsAfter", run.HeadsAfter);
                w.WriteStartArray("steps");
                foreach (var step in run.Steps)
                {
                    w.WriteStartObject();
                    w.WriteString("revision", step.Revision);
                    w.WriteNumber("executionMs", step.ExecutionMilliseconds);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        var output = context.Console.Out;
        var verb = run.Direction == MigrationDirection.Upgrade ? "applied" : "reverted";
        if (run.Steps.Count == 0)
        {
            output.WriteLine($"Nothing to do: {run.Database} is at {(run.HeadsBefore.Count == 0 ? "base" : ShortList.Join(run.HeadsBefore))}.");
            return;
        }

        foreach (var step in run.Steps)
        {
            output.WriteLine($"{verb} {step.Revision} ({step.ExecutionMilliseconds} ms)");
        }

        output.WriteLine(run.DryRun
            ? $"Dry run: {run.Steps.Count} migration{(run.Steps.Count == 1 ? "" : "s")} ran and were rolled back; nothing changed."
            : $"Done: {run.Steps.Count} migration{(run.Steps.Count == 1 ? "" : "s")} {verb}; now at {(run.HeadsAfter.Count == 0 ? "base" : ShortList.Join(run.HeadsAfter))}.");
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
                JsonOutput.Write(context.Console.Out, w =>
                {
                    w.WriteBoolean("ok", true);
                    w.WriteString("database", stamp.Database);
                    w.WriteString("target", stamp.Target);
                    w.WriteStrings("headsBefore", stamp.HeadsBefore);
                    w.WriteStrings("headsAfter", stamp.HeadsAfter);
                    w.WriteNumber("recorded", stamp.Recorded);
                });
                return 0;
            }

            context.Console.Out.WriteLine($"Stamped {stamp.Database} at {(stamp.HeadsAfter.Count == 0 ? "base (history cleared)" : ShortList.Join(stamp.HeadsAfter))}; {stamp.Recorded} revision{(stamp.Recorded == 1 ? "" : "s")} recorded, no SQL run.");
            return 0;
        }, cancellationToken));
        return command;
    }
}
