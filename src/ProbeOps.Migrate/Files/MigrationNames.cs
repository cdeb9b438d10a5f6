using System.Globalization;

namespace ProbeOps.Migrate.Files;

/// <summary>The rules for file names and revision ids, and how user text is quoted in messages.</summary>
internal static class MigrationNames
{
    internal const int MaxRevisionIdLength = 128;

    /// <summary>Why <paramref name="id"/> is not a usable revision id, or null when it is.</summary>
    internal static string? RevisionIdProblem(string id)
    {
        if (id.Length == 0)
            return "is empty";
        if (id.Length > MaxRevisionIdLength)
            return $"is longer than {MaxRevisionIdLength} characters";
        if (!char.IsAsciiLetterOrDigit(id[0]))
            return "must start with a letter or digit";
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != '-')
                return "may only contain letters, digits, `_`, `.` and `-`";
        }

        foreach (var reserved in (ReadOnlySpan<string>)["head", "heads", "base", "none"])
        {
            if (id.Equals(reserved, StringComparison.OrdinalIgnoreCase))
                return "is reserved (`head`, `heads`, `base` and `none` name targets, not revisions)";
        }

        return null;
    }

    /// <summary>Why <paramref name="fileName"/> breaks the <c>YYYYMMDD_description.sql</c> convention, or null.</summary>
    internal static string? FileNameProblem(string fileName)
    {
        const string Convention = "YYYYMMDD_description.sql (a date, then lower-case words of a-z and 0-9 joined by `_`)";
        var name = fileName.AsSpan();
        var ok = name.Length > 13
            && name[..8].IndexOfAnyExceptInRange('0', '9') < 0
            && name[8] == '_'
            && name.EndsWith(".sql", StringComparison.Ordinal)
            && AreLowerCaseWords(name[9..^4]);
        if (!ok)
            return $"file name `{Shorten(fileName)}` does not follow the convention {Convention}";
        if (!DateOnly.TryParseExact(name[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return $"file name `{fileName}` starts with `{name[..8]}`, which is not a real date (YYYYMMDD)";
        return null;
    }

    /// <summary>Caps user text quoted in a message so one odd line cannot flood the output.</summary>
    internal static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");

    /// <summary>Words of <c>a-z0-9</c> joined by single <c>_</c>, at least one.</summary>
    private static bool AreLowerCaseWords(ReadOnlySpan<char> words)
    {
        var previousWasUnderscore = true;
        foreach (var c in words)
        {
            var underscore = c == '_';
            if ((underscore && previousWasUnderscore) || (!underscore && !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c)))
                return false;
            previousWasUnderscore = underscore;
        }

        return !previousWasUnderscore;
    }
}
