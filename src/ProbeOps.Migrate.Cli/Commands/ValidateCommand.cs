using System.CommandLine;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Cli.Commands;

public static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var allowMultipleHeads = new Option<bool>("--allow-multiple-heads") { Description = "Accept several heads (unmerged branches)." };
        var dialect = DialectOption.Create("Check the SQL with this engine's rules: postgresql or sqlite (default: the configured database's, else postgresql).");
        var noCache = new Option<bool>("--no-cache") { Description = "Read and parse every file, ignoring the stat cache of unchanged files." };
        var command = new Command("validate", "Check migration files and the revision graph; needs no database. Exit 3 lists every problem.")
        {
            allowMultipleHeads,
            dialect,
            noCache,
        };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var settings = context.LoadSettings(result);
            var commands = context.CreateCommands(result.GetValue(noCache) ? settings with { FileCacheDirectory = null } : settings);
            var chosen = DialectOption.Chosen(result, dialect);
            var validation = commands.Validate(result.GetValue(allowMultipleHeads), chosen);
            var heads = validation.Graph?.Heads.Select(h => h.Id).ToList() ?? [];
            var errors = validation.Errors.Count();
            var error = validation.IsValid
                ? null
                : new ErrorDocument(
                    FailureKind.InvalidMigrations,
                    $"{errors} problem{(errors == 1 ? "" : "s")} in {ErrorRenderer.RelativePath(validation.MigrationsDirectory, context.WorkingDirectory)} ({validation.FileCount} file{(validation.FileCount == 1 ? "" : "s")} read, {validation.ValidFileCount} valid); fix them and run validate again.");
            if (context.IsJson(result))
            {
                var document = new ValidateDocument(
                    validation.MigrationsDirectory, validation.FileCount, validation.ValidFileCount, heads, validation.Diagnostics.Select(DiagnosticDocument.From).ToList()) { Error = error };
                context.WriteJson(result, document, CliJsonContext.Default.ValidateDocument);
            }
            else
            {
                ErrorRenderer.WriteDiagnostics(context.Console.Error, validation.Diagnostics, context.WorkingDirectory);
            }

            if (error is null && !context.IsJson(result))
            {
                context.Console.Out.WriteLine(
                    $"OK: {validation.FileCount} migration{(validation.FileCount == 1 ? "" : "s")} in {ErrorRenderer.RelativePath(validation.MigrationsDirectory, context.WorkingDirectory)}, head {(heads.Count == 0 ? "(none)" : ShortList.Join(heads))}.");
            }
            else if (error is not null)
            {
                context.Console.Error.WriteLine($"error: {error.Message}");
            }

            return Task.FromResult(error is null ? 0 : (int)error.Failure);
        }, cancellationToken));
        return command;
    }
}
