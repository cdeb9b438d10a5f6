using System.CommandLine;
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
            var exit = validation.IsValid ? 0 : (int)FailureKind.InvalidMigrations;
            if (context.IsJson(result))
            {
                JsonOutput.Write(context.Console.Out, w =>
                {
                    w.WriteBoolean("ok", validation.IsValid);
                    w.WriteNumber("exitCode", exit);
                    w.WriteString("migrations", validation.MigrationsDirectory);
                    w.WriteNumber("files", validation.FileCount);
                    w.WriteNumber("validFiles", validation.ValidFileCount);
                    w.WriteStrings("heads", validation.Graph?.Heads.Select(h => h.Id) ?? []);
                    w.WriteDiagnostics(validation.Diagnostics);
                });
                return Task.FromResult(exit);
            }

            ErrorRenderer.WriteDiagnostics(context.Console.Error, validation.Diagnostics, context.WorkingDirectory);
            if (validation.IsValid)
            {
                var heads = validation.Graph?.Heads.Select(h => h.Id).ToList() ?? [];
                context.Console.Out.WriteLine(
                    $"OK: {validation.FileCount} migration{(validation.FileCount == 1 ? "" : "s")} in {ErrorRenderer.RelativePath(validation.MigrationsDirectory, context.WorkingDirectory)}, head {(heads.Count == 0 ? "(none)" : ShortList.Join(heads))}.");
            }
            else
            {
                var errors = validation.Errors.Count();
                context.Console.Error.WriteLine(
                    $"error: {errors} problem{(errors == 1 ? "" : "s")} in {ErrorRenderer.RelativePath(validation.MigrationsDirectory, context.WorkingDirectory)} ({validation.FileCount} file{(validation.FileCount == 1 ? "" : "s")} read, {validation.ValidFileCount} valid); fix them and run validate again.");
            }

            return Task.FromResult(exit);
        }, cancellationToken));
        return command;
    }
}
