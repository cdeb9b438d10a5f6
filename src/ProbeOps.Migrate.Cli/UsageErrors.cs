using System.CommandLine;
using System.CommandLine.Parsing;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Cli;

/// <summary>
/// The one line a command line that does not parse gets: what was not recognised and the nearest
/// command or option it may have meant. System.CommandLine's own typo corrections come only with its
/// multi-line error output, and a mistyped option given where a command takes an argument
/// (<c>upgrade --dry-rn</c>) parses without error as that argument: both are caught here.
/// </summary>
public static class UsageErrors
{
    /// <summary>The message for <paramref name="result"/>, or null when it parsed and may run.</summary>
    public static string? Find(ParseResult result)
    {
        if (OptionTakenAsArgument(result) is { } option)
        {
            return UnknownOption(result, option);
        }

        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            if (LooksLikeOption(token))
            {
                return UnknownOption(result, token);
            }

            var command = result.CommandResult.Command;
            return command.Subcommands.Count > 0
                ? $"unknown command '{token}'{Hint(token, command.Subcommands.Select(c => c.Name))}"
                : $"unexpected argument '{token}': {CommandName(result)} takes {ArgumentText(command)}";
        }

        if (result.Errors.Count == 0)
        {
            return null;
        }

        return result.CommandResult.Command is RootCommand && result.Tokens.Count == 0
            ? "no command given"
            : OneLine(result.Errors[0].Message);
    }

    /// <summary>The parser's message on one line: a list it puts one item a line becomes comma-separated.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count <= 1 ? message.Trim() : $"{lines[0]} {string.Join(", ", lines.Skip(1))}";
    }

    /// <summary>An option-like token that the parser bound to a command's argument, before any <c>--</c>.</summary>
    private static string? OptionTakenAsArgument(ParseResult result)
    {
        var doubleDash = result.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        for (var command = result.CommandResult; command is not null; command = command.Parent as CommandResult)
        {
            foreach (var argument in command.Children.OfType<ArgumentResult>())
            {
                foreach (var token in argument.Tokens)
                {
                    var position = IndexOf(result.Tokens, token);
                    if (LooksLikeOption(token.Value) && (doubleDash < 0 || position < doubleDash))
                    {
                        return token.Value;
                    }
                }
            }
        }

        return null;
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (ReferenceEquals(tokens[i], token))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary><c>--x</c> or <c>-x</c>, but not a relative target such as <c>-1</c>.</summary>
    private static bool LooksLikeOption(string token) =>
        token.Length > 1 && token[0] == '-' && (token[1] == '-' || char.IsLetter(token[1]));

    private static string UnknownOption(ParseResult result, string token)
    {
        var name = token.Split('=', 2)[0];
        return $"unknown option '{name}' for {CommandName(result)}{Hint(name, OptionNames(result.CommandResult))}";
    }

    /// <summary>The options valid at <paramref name="command"/>: its own, and those its ancestors share with it.</summary>
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        var own = command.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name));
        var inherited = AncestorsOf(command).SelectMany(c => c.Command.Options.Where(o => o.Recursive)).SelectMany(o => o.Aliases.Prepend(o.Name));
        return own.Concat(inherited).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<CommandResult> AncestorsOf(CommandResult command)
    {
        for (var parent = command.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            yield return parent;
        }
    }

    private static string Hint(string typed, IEnumerable<string> candidates) =>
        NearestName.Find(typed, candidates) is { } nearest ? $"; did you mean {nearest}?" : "";

    private static string CommandName(ParseResult result) =>
        result.CommandResult.Command is RootCommand ? "probeops-migrate" : result.CommandResult.Command.Name;

    private static string ArgumentText(Command command) =>
        command.Arguments.Count == 0 ? "no arguments" : string.Join(" ", command.Arguments.Select(HelpUsage.ArgumentLabel));
}
