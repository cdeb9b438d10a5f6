using System.CommandLine;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Cli.Json;
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
            var errors = lint.Report.Count(LintSeverity.Error);
            var error = lint.Report.HasErrors
                ? new ErrorDocument(
                    FailureKind.InvalidMigrations,
                    $"{errors} lint error{(errors == 1 ? "" : "s")}: change the statement the safe way shown, or add '-- lint:ignore CODE reason' above it.")
                : null;
            if (chosen == "sarif")
            {
                var sarif = LintSarif.Write(lint.Report, LintRules.All, SourceRoot(context.WorkingDirectory));
                context.Console.Out.Write(System.Text.Encoding.UTF8.GetString(sarif));
            }
            else if (chosen == "json" || context.IsJson(result))
            {
                context.WriteJson(result, Document(lint) with { Error = error }, CliJsonContext.Default.LintDocument);
            }
            else
            {
                new LintRenderer(context.Console.Out, context.WorkingDirectory).Write(lint);
            }

            if (error is not null)
            {
                context.Console.Error.WriteLine($"error: {error.Message}");
            }

            return error is null ? 0 : (int)error.Failure;
        }, cancellationToken));
        return command;
    }

    private static LintDocument Document(LintResult lint) => new(
        lint.MigrationsDirectory,
        lint.Database,
        lint.ServerVersion?.ToString(2),
        lint.Pending,
        lint.Notice,
        lint.Report.RevisionsLinted,
        lint.Report.RepeatablesLinted,
        lint.Report.Count(LintSeverity.Error),
        lint.Report.Count(LintSeverity.Warning),
        lint.Report.Count(LintSeverity.Notice),
        LintFindingDocument.All(lint.Report),
        LintSuppressionDocument.All(lint.Report));

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
