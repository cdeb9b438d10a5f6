using System.CommandLine;
using ProbeOps.Migrate.Cli.Commands;

namespace ProbeOps.Migrate.Cli;

/// <summary>Builds the command tree and runs it; parse errors become exit 2 with one line.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("probeops-migrate: safe, atomic database migrations for PostgreSQL and SQLite.");
        context.Global.AddTo(root);
        foreach (var command in new[]
        {
            InitCommand.Create(context),
            NewCommand.Create(context),
            MergeCommand.Create(context),
            ValidateCommand.Create(context),
            LintCommand.Create(context),
            GraphCommands.Heads(context),
            GraphCommands.History(context),
            GraphCommands.Show(context),
            DatabaseCommands.Current(context),
            DatabaseCommands.Status(context),
            DatabaseCommands.Upgrade(context),
            DatabaseCommands.Downgrade(context),
            DatabaseCommands.Stamp(context),
            ResetCommand.Create(context),
            DriftCommands.Drift(context),
            DriftCommands.Snapshot(context),
            DeployCommands.Preflight(context),
            DeployCommands.Deploy(context),
            BackupCommands.Backup(context),
            BackupCommands.Restore(context),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(CliContext context, string[] args)
    {
        var root = Build(context);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            // One line and exit 2 (SPEC §9), instead of the parser's full help dump.
            context.Console.Error.WriteLine($"error: {result.Errors[0].Message} (see: probeops-migrate {string.Join(' ', CommandPath(result))} --help)");
            return (int)FailureKind.Usage;
        }

        var configuration = new InvocationConfiguration { Output = context.Console.Out, Error = context.Console.Error };
        return await result.InvokeAsync(configuration);
    }

    private static IEnumerable<string> CommandPath(ParseResult result)
    {
        var names = new Stack<string>();
        for (var symbol = result.CommandResult; symbol is not null; symbol = symbol.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (symbol.Command is not RootCommand)
            {
                names.Push(symbol.Command.Name);
            }
        }

        return names;
    }
}
