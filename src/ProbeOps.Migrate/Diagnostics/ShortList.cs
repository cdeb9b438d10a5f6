using System.Globalization;

namespace ProbeOps.Migrate.Diagnostics;

/// <summary>
/// A list inside a one-line message: the first few items, then how many more, so that two thousand
/// heads still make a line a person can read. The full list goes where there is room for it (the
/// diagnostic's <see cref="Diagnostic.Revisions"/>, a <c>--json</c> document, a command that lists them).
/// </summary>
public static class ShortList
{
    /// <summary>How many items a one-line message shows unless told otherwise.</summary>
    public const int DefaultShown = 5;

    /// <summary><c>a, b, c, d, e and 1,995 more</c>; the whole list when it has at most <paramref name="shown"/> items.</summary>
    public static string Join(IEnumerable<string> items, string separator = ", ", int shown = DefaultShown)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(shown, 1);
        var list = items as IReadOnlyList<string> ?? [.. items];
        if (list.Count <= shown)
        {
            return string.Join(separator, list);
        }

        var more = (list.Count - shown).ToString("N0", CultureInfo.InvariantCulture);
        return $"{string.Join(separator, list.Take(shown))} and {more} more";
    }
}
