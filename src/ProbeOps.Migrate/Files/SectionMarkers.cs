namespace ProbeOps.Migrate.Files;

/// <summary>Which section a marker opens.</summary>
internal enum SectionKind
{
    Upgrade,
    Downgrade,

    /// <summary>The batched data change that runs after the upgrade section has committed.</summary>
    Backfill,

    /// <summary>A marker that was refused (unknown or repeated): its body belongs to no section.</summary>
    Ignored,
}

/// <summary>A section as the line reader found it: where its marker and body are in the text.</summary>
internal sealed class SectionDraft(SectionKind kind, int markerLine, bool transactional, int bodyStart)
{
    public SectionKind Kind { get; } = kind;
    public int MarkerLine { get; } = markerLine;
    public bool Transactional { get; } = transactional;
    public int BodyStart { get; } = bodyStart;
    public int BodyEnd { get; set; } = bodyStart;

    /// <summary>The wait between two runs of a backfill statement (<c>pause:DURATION</c>).</summary>
    public TimeSpan Pause { get; init; }
}

/// <summary>The syntax of <c>-- migrate:</c> lines and of the comment-only lines before the first one.</summary>
internal static class SectionMarkers
{
    public const string Prefix = "-- migrate:";

    /// <summary>A comment that reads like a marker but is not spelled with the exact prefix (<c>--migrate:upgrade</c>).</summary>
    public static bool IsNearMarker(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("--", StringComparison.Ordinal))
            return false;
        var rest = line[2..].TrimStart(" \t");
        if (!rest.StartsWith("migrate:", StringComparison.OrdinalIgnoreCase))
            return false;
        rest = rest["migrate:".Length..];
        var wordLength = rest.IndexOfAny(" \t");
        var word = wordLength < 0 ? rest : rest[..wordLength];
        return word.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
            || word.Equals("downgrade", StringComparison.OrdinalIgnoreCase)
            || word.Equals("backfill", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the line holds only whitespace and comments; tracks block comments across lines.</summary>
    public static bool IsCommentOnly(ReadOnlySpan<char> line, ref bool inBlockComment)
    {
        var i = 0;
        while (i < line.Length)
        {
            if (inBlockComment)
            {
                var close = line[i..].IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                    return true;
                i += close + 2;
                inBlockComment = false;
                continue;
            }

            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < line.Length && line[i + 1] == '-')
            {
                return true;
            }
            else if (c == '/' && i + 1 < line.Length && line[i + 1] == '*')
            {
                inBlockComment = true;
                i += 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
