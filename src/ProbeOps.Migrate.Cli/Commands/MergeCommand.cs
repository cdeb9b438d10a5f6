using System.CommandLine;

namespace ProbeOps.Migrate.Cli.Commands;

public static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var message = new Option<string>("--message", "-m") { Description = "What the merge joins; it also names the file.", Required = true };
        var revisions = new Argument<string[]>("REV") { Description = "Revisions to join (default: every head).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("merge", "Write a merge revision whose parents are the given revisions (default: all heads).") { message, revisions };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var created = context.CreateCommands(context.LoadSettings(result)).Merge(result.GetValue(message)!, result.GetValue(revisions) ?? []);
            NewCommand.Write(context, result, created);
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }
}
