namespace ProbeOps.Migrate.Lint;

/// <summary>One <c>-- lint:ignore CODE[,CODE...] reason</c> line.</summary>
/// <param name="Problem">Why the line silences nothing (no reason, unknown code), or null when it is well formed.</param>
internal sealed record SuppressionLine(IReadOnlyList<string> Codes, string Reason, int Line, int Column, string? Problem);

/// <summary>
/// Reads the <c>-- lint:ignore</c> lines directly above a statement: the comment lines between it and the blank line,
/// code or start of section before it. The splitter keeps those comments at the head of the statement's text.
/// </summary>
internal static class SuppressionReader
{
    private const string Marker = "lint:ignore";

    /// <param name="text">The statement's text.</param>
    /// <param name="codeStart">The offset of the statement's first code token in <paramref name="text"/>.</param>
    /// <param name="firstLine">The file line of <paramref name="text"/>'s first character.</param>
    /// <param name="firstColumn">The file column of <paramref name="text"/>'s first character.</param>
    public static IReadOnlyList<SuppressionLine> Read(string text, int codeStart, int firstLine, int firstColumn)
    {
        if (codeStart == 0 || !text.AsSpan(0, codeStart).Contains(Marker, StringComparison.OrdinalIgnoreCase))
            return [];
        var lines = text[..codeStart].Split('\n');
        var found = new List<SuppressionLine>();

        // The last piece is the start of the code line itself; walk up from the line above it.
        for (var i = lines.Length - 2; i >= 0; i--)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (!trimmed.StartsWith("--", StringComparison.Ordinal))
                break;
            var column = (i == 0 ? firstColumn : 1) + (line.Length - trimmed.Length);
            if (Parse(trimmed[2..].Trim(), firstLine + i, column) is { } suppression)
                found.Add(suppression);
        }

        return found;
    }

    private static SuppressionLine? Parse(string comment, int line, int column)
    {
        if (!comment.StartsWith(Marker, StringComparison.OrdinalIgnoreCase))
            return null;
        var rest = comment[Marker.Length..].Trim();
        var space = rest.IndexOfAny([' ', '\t']);
        var codeList = space < 0 ? rest : rest[..space];
        var reason = space < 0 ? "" : rest[space..].Trim();
        var codes = codeList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToUpperInvariant())
            .ToList();

        string? problem = null;
        if (codes.Count == 0)
            problem = "names no rule code";
        else if (codes.FirstOrDefault(c => LintRules.Find(c) is null) is { } unknown)
            problem = $"names unknown rule code {unknown}";
        else if (reason.Length == 0)
            problem = "gives no reason";
        return new SuppressionLine(codes, reason, line, column, problem);
    }
}
