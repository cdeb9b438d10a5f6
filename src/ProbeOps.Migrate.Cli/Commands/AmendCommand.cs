using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>amend REV --reason TEXT</c>: accept an edited applied migration, leaving a trail in the audit log.</summary>
public static class AmendCommand
{
    public static Command Create(CliContext context)
    {
        var revision = new Argument<string>("REV") { Description = "The applied revision whose edited file is accepted (an id or unique prefix)." };
        var reason = new Option<string>("--reason") { Description = "Why the applied file was edited; recorded in the audit log.", Required = true, HelpName = "TEXT" };
        var command = new Command("amend", "Accept the edited file of an applied revision: record its new checksum, with both checksums, who, when and why in the audit log.") { revision, reason };
        context.RunOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var commands = context.CreateCommands(context.LoadSettings(result, withRunOptions: true));
            var amend = await commands.AmendAsync(result.GetValue(revision)!, result.GetValue(reason)!, ct);
            if (context.IsJson(result))
            {
                var document = new AmendDocument(
                    amend.Database, amend.Revision, amend.File, amend.Changed, amend.RecordedChecksum, amend.NewChecksum, amend.Reason, amend.DeployId);
                return context.WriteJson(result, document, CliJsonContext.Default.AmendDocument);
            }

            Write(context, amend);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static void Write(CliContext context, AmendResult amend)
    {
        var output = context.Console.Out;
        var file = ErrorRenderer.RelativePath(amend.File, context.WorkingDirectory);
        if (!amend.Changed)
        {
            output.WriteLine($"Nothing to amend: {file} matches the checksum recorded for {amend.Revision}.");
            return;
        }

        output.WriteLine($"{amend.Revision} ({file})");
        output.WriteLine($"  recorded checksum  {amend.RecordedChecksum}");
        output.WriteLine($"  file checksum      {amend.NewChecksum}");
        output.WriteLine("  old text unknown: the history keeps the checksum of what was applied, not its text. The upgrade section now reads:");
        foreach (var line in amend.UpgradeSql.Trim('\n').Split('\n'))
        {
            output.WriteLine($"  | {line.TrimEnd('\r')}");
        }

        output.WriteLine($"Amended {amend.Revision} in {amend.Database}: the new checksum is recorded; the audit log holds both checksums and the reason (deploy id {amend.DeployId}).");
    }
}
