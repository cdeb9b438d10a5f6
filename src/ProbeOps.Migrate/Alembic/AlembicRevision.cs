using System.Globalization;
using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Alembic;

/// <summary>One Alembic revision script as its header and assignments describe it.</summary>
/// <param name="Id">The <c>revision</c> assignment.</param>
/// <param name="DownRevisions">The <c>down_revision</c> assignment: empty for the base, two or more for a merge.</param>
/// <param name="Message">The first line of the module docstring.</param>
/// <param name="CreateDate">The day of the docstring's <c>Create Date:</c> line, if it has one.</param>
/// <param name="SourceFile">The <c>.py</c> file it was read from.</param>
public sealed record AlembicRevision(string Id, IReadOnlyList<string> DownRevisions, string Message, DateOnly? CreateDate, string SourceFile);

/// <summary>
/// Reads a revision script as text, without running it: the docstring (message and <c>Create Date</c>)
/// and the <c>revision</c> and <c>down_revision</c> assignments, which Alembic's template writes as
/// literals (a string, <c>None</c>, or a tuple or list of strings, possibly over several lines).
/// </summary>
internal static partial class AlembicScriptReader
{
    public static AlembicRevision Read(string path, string text)
    {
        var docstring = Docstring(text);
        var id = Assignment(text, "revision") is { } revision ? Strings(revision).FirstOrDefault() : null;
        if (id is null)
        {
            throw Invalid(path, "has no `revision = '...'` assignment");
        }

        var down = Assignment(text, "down_revision") ?? throw Invalid(path, "has no `down_revision = ...` assignment");
        return new AlembicRevision(id, Strings(down), Message(docstring), CreateDate(docstring), path);
    }

    private static MigrateException Invalid(string path, string problem) =>
        new(FailureKind.InvalidMigrations, $"{path} {problem}: it is not an Alembic revision script.");

    /// <summary>The text after <c>name =</c> (or <c>name: type =</c>) at the start of a line, with the lines a bracket keeps open.</summary>
    private static string? Assignment(string text, string name)
    {
        var match = AssignmentPattern().Matches(text).FirstOrDefault(m => m.Groups["name"].Value == name);
        if (match is null)
        {
            return null;
        }

        var value = match.Groups["value"].Value;
        var open = value.TrimStart().StartsWith('(') || value.TrimStart().StartsWith('[');
        if (!open || value.Contains(')') || value.Contains(']'))
        {
            return value;
        }

        var end = text.IndexOfAny([')', ']'], match.Index + match.Length);
        return end < 0 ? value : text[match.Groups["value"].Index..(end + 1)];
    }

    /// <summary>The quoted strings in an assignment's value; <c>None</c> holds none.</summary>
    private static List<string> Strings(string value) =>
        [.. QuotedPattern().Matches(value).Select(m => m.Groups["text"].Value)];

    private static string Docstring(string text)
    {
        var match = DocstringPattern().Match(text);
        return match.Success ? match.Groups["body"].Value : "";
    }

    private static string Message(string docstring) =>
        docstring.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0) ?? "";

    private static DateOnly? CreateDate(string docstring)
    {
        var match = CreateDatePattern().Match(docstring);
        return match.Success && DateOnly.TryParseExact(match.Groups["day"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    [GeneratedRegex(@"^(?<name>revision|down_revision)\s*(?::[^=\n]*)?=(?<value>[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex("""(?<q>['"])(?<text>[^'"\n]*)\k<q>""")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(""""\A(?:\s*#[^\n]*\n)*\s*[rRuU]?(?<q>"""|''')(?<body>.*?)\k<q>"""", RegexOptions.Singleline)]
    private static partial Regex DocstringPattern();

    [GeneratedRegex(@"^\s*Create Date:\s*(?<day>\d{4}-\d{2}-\d{2})", RegexOptions.Multiline)]
    private static partial Regex CreateDatePattern();
}
