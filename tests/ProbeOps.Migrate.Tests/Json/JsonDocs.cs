using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Tests.Json;

/// <summary>
/// The fields docs/json.md lists: the envelope's, and each command's (a section <c>### `status`</c>, or
/// <c>### `new`, `merge`</c>, whose table rows name the fields in their first cell).
/// </summary>
public sealed partial class JsonDocs
{
    private JsonDocs(IReadOnlySet<string> envelope, IReadOnlyDictionary<string, IReadOnlySet<string>> commands)
    {
        Envelope = envelope;
        Commands = commands;
    }

    public IReadOnlySet<string> Envelope { get; }

    /// <summary>Fields by the heading's name for the command: <c>status</c>, <c>upgrade --sql</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Commands { get; }

    public static JsonDocs Read()
    {
        var lines = File.ReadAllLines(Path.Combine(Drift.DriftCommandTests.RepositoryRoot, "docs", "json.md"));
        var envelope = new HashSet<string>(StringComparer.Ordinal);
        var commands = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        HashSet<string>? current = null;
        var section = "";
        foreach (var line in lines)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line;
                current = section == "## The envelope" ? envelope : null;
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                current = section == "## Commands" ? new HashSet<string>(StringComparer.Ordinal) : null;
                foreach (var name in Code(line))
                {
                    commands[name] = current!;
                }
            }
            else if (current is not null && line.StartsWith("| `", StringComparison.Ordinal))
            {
                current.UnionWith(Code(line.Split(" |")[0]));
            }
        }

        return new JsonDocs(envelope, commands);
    }

    private static IEnumerable<string> Code(string text) => CodeSpan().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
