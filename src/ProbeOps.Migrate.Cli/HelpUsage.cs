using System.CommandLine;
using System.CommandLine.Parsing;

namespace ProbeOps.Migrate.Cli;

/// <summary>
/// The usage line of a command's help, written the way manual pages do: required options with their
/// value (<c>merge -m MESSAGE [REV...]</c>), optional arguments in brackets (<c>init [DIR]</c>).
/// System.CommandLine's own line leaves required options out, and its help builder is not public, so
/// the line it writes is replaced.
/// </summary>
public static class HelpUsage
{
    /// <summary>The usage line of <paramref name="command"/> (under <paramref name="parents"/>), without indentation.</summary>
    public static string Line(IEnumerable<string> parents, Command command)
    {
        var parts = new List<string> { "probeops-migrate" };
        parts.AddRange(parents);
        if (command is RootCommand)
        {
            parts.Add("COMMAND");
        }
        else
        {
            parts.Add(command.Name);
            parts.AddRange(command.Options.Where(o => o.Required).Select(RequiredOption));
            parts.AddRange(command.Arguments.Where(a => !a.Hidden).Select(ArgumentLabel));
        }

        parts.Add("[options]");
        return string.Join(" ", parts);
    }

    /// <summary><c>TARGET</c>, <c>[DIR]</c> or <c>[REV...]</c>.</summary>
    public static string ArgumentLabel(Argument argument)
    {
        var name = argument.HelpName ?? argument.Name;
        var label = argument.Arity.MaximumNumberOfValues > 1 ? name + "..." : name;
        return argument.Arity.MinimumNumberOfValues == 0 || argument.HasDefaultValue ? $"[{label}]" : label;
    }

    /// <summary>Replaces the line after <c>Usage:</c> in <paramref name="help"/> with <paramref name="usage"/>.</summary>
    public static string Rewrite(string help, string usage)
    {
        var lines = help.Split('\n').ToList();
        var title = lines.FindIndex(l => l.TrimEnd('\r') == "Usage:");
        if (title < 0 || title + 1 >= lines.Count)
        {
            return help;
        }

        lines[title + 1] = "  " + usage + (lines[title + 1].EndsWith('\r') ? "\r" : "");
        return string.Join('\n', lines);
    }

    /// <summary>The names of the commands above the one <paramref name="result"/> runs, root excluded.</summary>
    public static IEnumerable<string> Parents(ParseResult result)
    {
        var names = new Stack<string>();
        for (var parent = result.CommandResult.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
        {
            if (parent.Command is not RootCommand)
            {
                names.Push(parent.Command.Name);
            }
        }

        return names;
    }

    private static string RequiredOption(Option option)
    {
        var alias = option.Aliases.Append(option.Name).OrderBy(a => a.Length).First();
        var value = option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant();
        return option.ValueType == typeof(bool) ? alias : $"{alias} {value}";
    }
}
