using System.CommandLine;
using System.CommandLine.Help;
using ProbeOps.Migrate.Cli.Commands;

namespace ProbeOps.Migrate.Cli;

/// <summary>Builds the command tree and runs it; parse errors become exit 2 with one line.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("probeops-migrate: safe, atomic database migrations for PostgreSQL and SQLite. C# code migrations run only through the library, in the application that defines them: this tool cannot load code, and lists the applied ones from the history.");
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
            AmendCommand.Create(context),
            ResetCommand.Create(context),
            DriftCommands.Drift(context),
            DriftCommands.Snapshot(context),
            DeployCommands.Preflight(context),
            DeployCommands.Deploy(context),
            BackupCommands.Backup(context),
            BackupCommands.Restore(context),
            ImportAlembicCommand.Create(context),
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
        if (result.Action is HelpAction && result.UnmatchedTokens.Count == 0)
        {
            return await WriteHelpAsync(context, result);
        }

        if (UsageErrors.Find(result) is { } error)
        {
            // One line and exit 2 (SPEC §9), instead of the parser's full help dump.
            var command = string.Join(' ', HelpUsage.Parents(result).Append(result.CommandResult.Command is RootCommand ? "" : result.CommandResult.Command.Name));
            var line = $"{error} (see: probeops-migrate {(command.Length == 0 ? "" : command + " ")}--help)";
            if (AsksForJson(result))
            {
                context.WriteJsonError(result, new Migrate.Json.ErrorDocument(FailureKind.Usage, line));
            }

            context.Console.Error.WriteLine($"error: {line}");
            return (int)FailureKind.Usage;
        }

        // SIGINT/SIGTERM cancel the command's token; the time after it lets running work roll back and the
        // report be written before the process is ended regardless.
        var configuration = new InvocationConfiguration
        {
            Output = context.Console.Out, Error = context.Console.Error, ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        return await result.InvokeAsync(configuration);
    }

    /// <summary>Whether <c>--json</c> was given, read from the tokens: a command line that does not parse has no values.</summary>
    private static bool AsksForJson(ParseResult result) =>
        result.Tokens.Any(t => t.Type == System.CommandLine.Parsing.TokenType.Option && t.Value == "--json");

    /// <summary>The parser's help, with a usage line that shows required options and optional arguments.</summary>
    private static async Task<int> WriteHelpAsync(CliContext context, ParseResult result)
    {
        using var help = new StringWriter();
        var exit = await result.InvokeAsync(new InvocationConfiguration { Output = help, Error = context.Console.Error });
        context.Console.Out.Write(HelpUsage.Rewrite(help.ToString(), HelpUsage.Line(HelpUsage.Parents(result), result.CommandResult.Command)));
        return exit;
    }
}
