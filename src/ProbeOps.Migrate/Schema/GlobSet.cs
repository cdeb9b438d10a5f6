namespace ProbeOps.Migrate.Schema;

/// <summary>
/// Glob patterns with <c>*</c> (any run of characters, dots included) and <c>?</c> (one character),
/// matched ordinally against whole names. Matching is linear, with no regular expression built.
/// </summary>
public sealed class GlobSet(IEnumerable<string> patterns)
{
    private readonly string[] _patterns = [.. patterns.Where(p => p.Length > 0)];

    public bool IsEmpty => _patterns.Length == 0;

    public bool Matches(string name)
    {
        foreach (var pattern in _patterns)
        {
            if (Match(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The classic two-pointer wildcard match with backtracking to the last star: O(pattern × name) at worst.</summary>
    public static bool Match(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
