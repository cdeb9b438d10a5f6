using System.CommandLine;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>lint [REV...]</c>: statements dangerous on a database in service (SPEC §10); exit 3 on an error finding.</summary>
public static class LintCommand
{
    public static Command Create(CliContext context)
    {
        var revisions = new Argument<string[]>("REV") { Description = "Revisions to check (default: every revision).", Arity = ArgumentArity.ZeroOrMore };
        var pgVersion = new Option<string?>("--pg-version") { Description = $"Lint for this PostgreSQL major version (default: the database's, else {LintRules.OldestSupportedServer.Major}, the oldest maintained release).", HelpName = "N" };
        var format = new Option<string>("--format") { Description = "text (default), json (as --json) or sarif (SARIF 2.1.0 for code scanning).", DefaultValueFactory = _ => "text", HelpName = "text|json|sarif" };
        var command = new Command(
            "lint",
            "Check migrations for statements dangerous on a database in service: long locks, rewrites, statements that fail on existing rows or in their transaction, " +
            "backward-incompatible changes. With a database it knows the server version and the pending revisions. Exit 3 on an error finding.")
        {
            revisions, pgVersion, format,
        };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var chosen = result.GetValue(format)!;
            if (chosen is not ("text" or "json" or "sarif"))
            {
                throw new MigrateException(FailureKind.Usage, $"--format '{chosen}' is not known: use text, json or sarif.");
            }

            if (chosen == "sarif" && context.IsJson(result))
            {
                throw new MigrateException(FailureKind.Usage, "--json and --format sarif each choose the output: give one of them.");
            }

            var request = new LintRequest
            {
                Revisions = result.GetValue(revisions) ?? [],
                ServerVersion = result.GetValue(pgVersion) is { } text ? LintServer.ParseVersion(text) : null,
            };
            var lint = await context.CreateCommands(context.LoadSettings(result)).LintAsync(request, ct);
            var exit = lint.Report.HasErrors ? (int)FailureKind.InvalidMigrations : 0;
            if (chosen == "sarif")
            {
                var sarif = LintSarif.Write(lint.Report, LintRules.All, SourceRoot(context.WorkingDirectory));
                context.Console.Out.Write(System.Text.Encoding.UTF8.GetString(sarif));
            }
            else if (chosen == "json" || context.IsJson(result))
            {
                WriteJson(context, lint, exit);
            }
            else
            {
                new LintRenderer(context.Console.Out, context.WorkingDirectory).Write(lint);
            }

            if (exit != 0)
            {
                var errors = lint.Report.Count(LintSeverity.Error);
                context.Console.Error.WriteLine(
                    $"error: {errors} lint error{(errors == 1 ? "" : "s")}: change the statement the safe way shown, or add '-- lint:ignore CODE reason' above it.");
            }

            return exit;
        }, cancellationToken));
        return command;
    }

    private static void WriteJson(CliContext context, LintResult lint, int exit) => JsonOutput.Write(context.Console.Out, w =>
    {
        w.WriteBoolean("ok", exit == 0);
        w.WriteNumber("exitCode", exit);
        w.WriteString("migrations", lint.MigrationsDirectory);
        w.WriteStringOrNull("database", lint.Database);
        w.WriteStringOrNull("serverVersion", lint.ServerVersion?.ToString(2));
        if (lint.Pending is { } pending)
        {
            w.WriteStrings("pending", pending);
        }
        else
        {
            w.WriteNull("pending");
        }

        LintJson.WriteCounts(w, lint.Report);
        LintJson.WriteFindingsAndSuppressions(w, lint.Report);
    });

    /// <summary>The repository holding the working directory (the nearest directory with <c>.git</c>), else the working directory.</summary>
    public static string SourceRoot(string workingDirectory)
    {
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return workingDirectory;
    }
}
