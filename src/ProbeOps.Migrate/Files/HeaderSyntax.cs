using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>What one <c>-- key: value</c> line is.</summary>
internal enum HeaderLineKind
{
    NotHeader,
    Header,
    KeyWithoutColon,
}

/// <summary>The syntax of header lines and the keys they may use.</summary>
internal static class HeaderSyntax
{
    internal static readonly string[] Keys = ["revision", "down_revision", "message"];

    internal const int RevisionKey = 0;
    internal const int DownRevisionKey = 1;
    internal const int MessageKey = 2;

    /// <summary><c>-- key: value</c>, with <c>key</c> an identifier; spaces are optional around both.</summary>
    public static HeaderLineKind Parse(ReadOnlySpan<char> line, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        key = value = default;
        if (!line.StartsWith("--", StringComparison.Ordinal))
            return HeaderLineKind.NotHeader;
        var rest = line[2..].TrimStart(" \t");
        if (rest.IsEmpty || !(char.IsAsciiLetter(rest[0]) || rest[0] == '_'))
            return HeaderLineKind.NotHeader;
        var keyLength = 1;
        while (keyLength < rest.Length && (char.IsAsciiLetterOrDigit(rest[keyLength]) || rest[keyLength] == '_'))
            keyLength++;
        key = rest[..keyLength];
        rest = rest[keyLength..].TrimStart(" \t");
        if (rest.IsEmpty || rest[0] != ':')
            return HeaderLineKind.KeyWithoutColon;
        value = rest[1..].Trim();
        return HeaderLineKind.Header;
    }

    /// <summary>The index of <paramref name="key"/> in <see cref="Keys"/>, or -1.</summary>
    public static int KeyIndex(ReadOnlySpan<char> key)
    {
        for (var i = 0; i < Keys.Length; i++)
        {
            if (key.SequenceEqual(Keys[i]))
                return i;
        }

        return -1;
    }

    public static bool IsBlankOrBareComment(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        return trimmed.IsEmpty || trimmed.SequenceEqual("--");
    }

    /// <summary>The valid key closest to <paramref name="key"/>, when it is a plausible typo of it.</summary>
    public static string? Suggest(ReadOnlySpan<char> key)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Keys)
        {
            var distance = key.Length > 64 ? int.MaxValue : NearestName.Distance(key.ToString(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, Math.Min(3, best.Length / 4)) ? best : null;
    }
}
