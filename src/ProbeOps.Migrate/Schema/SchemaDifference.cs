namespace ProbeOps.Migrate.Schema;

/// <summary>How an object of the live database differs from the expected schema.</summary>
public enum SchemaChange
{
    /// <summary>In the database, not in the expected schema (<c>+</c>).</summary>
    Added,

    /// <summary>In the expected schema, not in the database (<c>-</c>).</summary>
    Missing,

    /// <summary>In both, with a property that differs (<c>~</c>).</summary>
    Changed,
}

/// <summary>
/// One difference between the expected schema and the live one. <see cref="Owner"/> is the
/// top-level object it belongs to (the table of a column), by which reports group differences.
/// </summary>
public sealed record SchemaDifference(
    SchemaChange Change,
    SchemaObjectKind Kind,
    string Name,
    SchemaObjectKind OwnerKind,
    string Owner,
    string? Property = null,
    string? Expected = null,
    string? Actual = null)
{
    public const string None = "(none)";

    /// <summary>The one-line form: <c>~ column public.users.tier: default 'free'::text -> 'basic'::text</c>.</summary>
    public override string ToString() => Change switch
    {
        SchemaChange.Added => $"+ {Kind.Describe()} {Name}",
        SchemaChange.Missing => $"- {Kind.Describe()} {Name}",
        _ => $"~ {Kind.Describe()} {Name}: {Property} {OneLine(Expected, Actual)} -> {OneLine(Actual, Expected)}",
    };

    /// <summary>True when either value spans lines (a function body, a view): reports then show the lines that differ.</summary>
    public bool IsMultiLine =>
        Change == SchemaChange.Changed &&
        ((Expected?.Contains('\n', StringComparison.Ordinal) ?? false) || (Actual?.Contains('\n', StringComparison.Ordinal) ?? false));

    /// <summary>
    /// A value on one line: line breaks folded into spaces, long text shortened. Given the value it is compared
    /// with, the part kept is where the two first differ, from the start of the entry holding it (a grantee in
    /// <c>[a: SELECT; b: UPDATE]</c>), so a shortened list still shows what changed.
    /// </summary>
    public static string OneLine(string? value, string? other = null)
    {
        if (value is null)
        {
            return None;
        }

        var folded = Fold(value);
        if (folded.Length <= MaxLength)
        {
            return folded;
        }

        var at = other is null ? 0 : FirstDifference(folded, Fold(other));
        if (at < 100)
        {
            return folded[..100] + " … " + folded[^40..];
        }

        var from = Math.Min(at, folded.Length - 1);
        var entry = folded.LastIndexOf("; ", from, StringComparison.Ordinal);
        var start = entry >= 0 && at - entry <= 100 ? entry + 2 : Math.Max(folded.LastIndexOf(' ', from) + 1, at - 60);
        var end = Math.Min(folded.Length, start + 120);
        return folded[..20] + " … " + folded[start..end] + (end < folded.Length ? " …" : "");
    }

    private const int MaxLength = 160;

    private static string Fold(string value) => string.Join(' ', value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static int FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
