using System.CommandLine;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;

namespace ProbeOps.Migrate.Cli.Commands;

public static class InitCommand
{
    public static Command Create(CliContext context)
    {
        var directory = new Argument<string>("DIR") { Description = "Where to scaffold (default: the current directory).", DefaultValueFactory = _ => "." };
        var command = new Command("init", "Scaffold probeops-migrate.json (SQLite by default) and an empty migrations directory.") { directory };
        command.SetAction((result, cancellationToken) => context.RunAsync(result, _ =>
        {
            var commands = context.CreateCommands(new Configuration.MigrateSettings());
            var init = commands.Init(Path.GetFullPath(result.GetValue(directory)!, context.WorkingDirectory));
            if (context.IsJson(result))
            {
                return Task.FromResult(context.WriteJson(
                    result, new InitDocument(init.ConfigFile, init.MigrationsDirectory, init.Created, init.Existing, init.Updated), CliJsonContext.Default.InitDocument));
            }

            foreach (var path in init.Created)
            {
                context.Console.Out.WriteLine($"created {ErrorRenderer.RelativePath(path, context.WorkingDirectory)}");
            }

            foreach (var path in init.Updated)
            {
                context.Console.Out.WriteLine($"updated {ErrorRenderer.RelativePath(path, context.WorkingDirectory)}");
            }

            foreach (var path in init.Existing)
            {
                context.Console.Out.WriteLine($"kept    {ErrorRenderer.RelativePath(path, context.WorkingDirectory)} (exists)");
            }

            context.Console.Out.WriteLine("Next: probeops-migrate new \"create first table\"");
            return Task.FromResult(0);
        }, cancellationToken));
        return command;
    }
}
