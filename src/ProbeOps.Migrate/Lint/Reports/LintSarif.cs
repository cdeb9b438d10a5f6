using System.Text;
using System.Text.Json;

namespace ProbeOps.Migrate.Lint;

/// <summary>
/// Lint findings as SARIF 2.1.0, the format GitHub and GitLab code scanning read: one run whose driver lists every
/// rule of the catalogue, one result per finding with its rule, level and the file's path relative to
/// <c>%SRCROOT%</c> (the repository), so the finding shows on the pull request's line.
/// </summary>
public static class LintSarif
{
    public const string Version = "2.1.0";
    public const string Schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    public const string SourceRoot = "%SRCROOT%";

    /// <summary>The SARIF document; paths are made relative to <paramref name="sourceRoot"/>.</summary>
    public static byte[] Write(LintReport report, IReadOnlyList<LintRule> rules, string sourceRoot)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", Schema);
            w.WriteString("version", Version);
            w.WriteStartArray("runs");
            w.WriteStartObject();
            WriteTool(w, rules);
            w.WriteStartObject("originalUriBaseIds");
            w.WriteStartObject(SourceRoot);
            w.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceRoot)) + "/").AbsoluteUri);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("columnKind", "utf16CodeUnits");
            WriteResults(w, report, rules, sourceRoot);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>The SARIF level of a severity: <c>error</c>, <c>warning</c> or <c>note</c>.</summary>
    public static string Level(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Warning => "warning",
        _ => "note",
    };

    /// <summary>A path relative to <paramref name="sourceRoot"/> as a URI reference (<c>/</c>-separated, escaped); absolute when outside it.</summary>
    public static string RelativeUri(string path, string sourceRoot)
    {
        var relative = Path.GetRelativePath(sourceRoot, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return new Uri(Path.GetFullPath(path)).AbsoluteUri;
        }

        return string.Join('/', relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Select(Uri.EscapeDataString));
    }

    private static void WriteTool(Utf8JsonWriter w, IReadOnlyList<LintRule> rules)
    {
        w.WriteStartObject("tool");
        w.WriteStartObject("driver");
        w.WriteString("name", "probeops-migrate");
        w.WriteString("version", ToolInfo.Version);
        w.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", rule.Code);
            w.WriteString("name", RuleName(rule.Title));
            WriteText(w, "shortDescription", rule.Title);
            WriteText(w, "help", $"{rule.Title}: the lock it takes, what it blocks and the safe way are in {rule.DocsLink}.");
            w.WriteStartObject("defaultConfiguration");
            w.WriteString("level", Level(rule.DefaultSeverity));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResults(Utf8JsonWriter w, LintReport report, IReadOnlyList<LintRule> rules, string sourceRoot)
    {
        var indexes = rules.Select((rule, i) => (rule.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        w.WriteStartArray("results");
        foreach (var f in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", f.Code);
            if (indexes.TryGetValue(f.Code, out var index))
            {
                w.WriteNumber("ruleIndex", index);
            }

            w.WriteString("level", Level(f.Severity));
            WriteText(w, "message", MessageText(f));
            w.WriteStartArray("locations");
            w.WriteStartObject();
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", RelativeUri(f.File, sourceRoot));
            w.WriteString("uriBaseId", SourceRoot);
            w.WriteEndObject();
            w.WriteStartObject("region");
            w.WriteNumber("startLine", Math.Max(1, f.Line));
            w.WriteNumber("startColumn", Math.Max(1, f.Column));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("properties");
            w.WriteString("revision", f.Revision);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The message, the lock and the fix: code scanning shows the message text alone.</summary>
    private static string MessageText(LintFinding f)
    {
        var text = new StringBuilder(f.Message.TrimEnd());
        if (LintText.Lock(f) is { } held)
        {
            text.Append(" Lock: ").Append(held).Append('.');
        }

        return text.Append(" Fix: ").Append(f.Fix.TrimEnd()).ToString();
    }

    /// <summary>A rule's title as the PascalCase name SARIF suggests: <c>DROP INDEX without CONCURRENTLY</c> is <c>DropIndexWithoutConcurrently</c>.</summary>
    private static string RuleName(string title) =>
        string.Concat(title.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => new string([.. word.Where(char.IsLetterOrDigit)]))
            .Where(word => word.Length > 0)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..].ToLowerInvariant()));

    private static void WriteText(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("text", text);
        w.WriteEndObject();
    }
}
