using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;

namespace ProbeOps.Migrate.Cli.Commands;

public static class NewCommand
{
    public static Command Create(CliContext context)
    {
        var message = new Argument<string>("MESSAGE") { Description = "What the migration does; it also names the file (YYYYMMDD_slug.sql)." };
        var command = new Command("new", "Write a new migration file whose down_revision is the current head.") { message };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var created = context.CreateCommands(context.LoadSettings(result)).New(result.GetValue(message)!);
            Write(context, result, created);
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }

    internal static void Write(CliContext context, ParseResult result, NewRevisionResult created)
    {
        if (context.IsJson(result))
        {
            context.WriteJson(result, new NewRevisionDocument(created.Revision, created.Path, created.DownRevisions), CliJsonContext.Default.NewRevisionDocument);
            return;
        }

        context.Console.Out.WriteLine($"created {ErrorRenderer.RelativePath(created.Path, context.WorkingDirectory)} (down_revision: {(created.DownRevisions.Count == 0 ? "none" : string.Join(", ", created.DownRevisions))})");
    }
}
