using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;

namespace ProbeOps.Migrate.Cli.Commands;

public static class ResetCommand
{
    public static Command Create(CliContext context)
    {
        var confirm = new Option<string?>("--confirm") { Description = "The database's name, to confirm that everything in it may be dropped.", HelpName = "DBNAME" };
        var noBackup = new Option<bool>("--no-backup") { Description = "Drop without taking a backup first." };
        var pgBin = DeployCommands.PgBinDirOption();
        var command = new Command("reset", "Back up, then drop everything the migrations manage and the history, keeping the audit log. Asks for the database name.") { confirm, noBackup, pgBin };
        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = DeployCommands.WithPgBin(context.LoadSettings(result, withRunOptions: true), result.GetValue(pgBin), context);
            ProtectedEnvironment.RefuseIrreversible(settings, "reset");
            var commands = context.CreateCommands(settings);
            var confirmation = context.Confirmation(result, confirm, commands, "This drops every object and the history in");

            var reset = await commands.ResetAsync(confirmation, result.GetValue(noBackup), ct);
            if (context.IsJson(result))
            {
                var document = new ResetDocument(reset.Database, reset.Dropped, reset.HeadsBefore, reset.Backup);
                return context.WriteJson(result, document, CliJsonContext.Default.ResetDocument);
            }

            context.Console.Out.WriteLine($"Reset {reset.Database}: dropped {reset.Dropped.Count} object{(reset.Dropped.Count == 1 ? "" : "s")} and the history; the audit log is kept.");
            if (reset.Backup is not null)
            {
                context.Console.Out.WriteLine($"Backup: {reset.Backup}");
            }

            return 0;
        }, cancellationToken));
        return command;
    }
}
