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
        _ => $"~ {Kind.Describe()} {Name}: {Property} {OneLine(Expected)} -> {OneLine(Actual)}",
    };

    /// <summary>True when either value spans lines (a function body, a view): reports then show the lines that differ.</summary>
    public bool IsMultiLine =>
        Change == SchemaChange.Changed &&
        ((Expected?.Contains('\n', StringComparison.Ordinal) ?? false) || (Actual?.Contains('\n', StringComparison.Ordinal) ?? false));

    /// <summary>A value on one line: line breaks folded into spaces, long text shortened around its middle.</summary>
    public static string OneLine(string? value)
    {
        if (value is null)
        {
            return None;
        }

        var folded = string.Join(' ', value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return folded.Length <= 160 ? folded : folded[..100] + " … " + folded[^40..];
    }
}
