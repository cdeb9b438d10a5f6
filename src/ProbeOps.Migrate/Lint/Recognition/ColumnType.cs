using System.Collections.Frozen;

namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>What an <c>ALTER COLUMN ... TYPE</c> costs.</summary>
internal enum TypeChangeCost
{
    /// <summary>A catalog change: binary-compatible, or a length or precision that only grows.</summary>
    CatalogOnly,

    /// <summary>Every row is rewritten (and every index rebuilt) under ACCESS EXCLUSIVE.</summary>
    Rewrite,

    /// <summary>The old type is unknown to lint, so it cannot tell.</summary>
    Unknown,
}

/// <summary>A column type reduced to PostgreSQL's internal name, its modifiers and whether it is an array.</summary>
/// <param name="Name">The canonical name: <c>int4</c>, <c>varchar</c>, <c>numeric</c>, <c>timestamptz</c>, ...</param>
/// <param name="Modifiers">Length, precision and scale, as written; empty when none.</param>
internal sealed record ColumnType(string Name, IReadOnlyList<int> Modifiers, bool IsArray)
{
    private static readonly FrozenDictionary<string, string> Canonical = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["int"] = "int4", ["integer"] = "int4", ["int4"] = "int4",
        ["bigint"] = "int8", ["int8"] = "int8", ["smallint"] = "int2", ["int2"] = "int2",
        ["serial"] = "serial4", ["serial4"] = "serial4", ["bigserial"] = "serial8", ["serial8"] = "serial8",
        ["smallserial"] = "serial2", ["serial2"] = "serial2",
        ["real"] = "float4", ["float4"] = "float4", ["double precision"] = "float8", ["float8"] = "float8", ["float"] = "float8",
        ["numeric"] = "numeric", ["decimal"] = "numeric", ["dec"] = "numeric",
        ["varchar"] = "varchar", ["character varying"] = "varchar", ["char varying"] = "varchar",
        ["char"] = "bpchar", ["character"] = "bpchar", ["bpchar"] = "bpchar",
        ["bool"] = "bool", ["boolean"] = "bool",
        ["timestamp"] = "timestamp", ["timestamp without time zone"] = "timestamp",
        ["timestamptz"] = "timestamptz", ["timestamp with time zone"] = "timestamptz",
        ["time"] = "time", ["time without time zone"] = "time", ["timetz"] = "timetz", ["time with time zone"] = "timetz",
        ["bit varying"] = "varbit", ["varbit"] = "varbit",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Types whose modifier is a length or precision that may grow without touching a row.
    private static readonly FrozenSet<string> GrowableModifier =
        new[] { "varchar", "varbit", "timestamp", "timestamptz", "time", "timetz", "interval" }.ToFrozenSet(StringComparer.Ordinal);

    public bool IsSerial => Name is "serial2" or "serial4" or "serial8";

    public override string ToString() =>
        Name + (Modifiers.Count == 0 ? "" : "(" + string.Join(",", Modifiers) + ")") + (IsArray ? "[]" : "");

    /// <summary>Reads the type written in tokens [start, end); null when there is none.</summary>
    public static ColumnType? Read(StatementTokens tokens, int start, int end)
    {
        var words = new List<string>(3);
        var modifiers = new List<int>(2);
        var isArray = false;
        var i = start;
        while (i < end)
        {
            if (tokens.IsSymbol(i, '('))
            {
                var close = tokens.SkipParenthesized(i);
                for (var j = i + 1; j < close; j++)
                {
                    if (tokens.IsNumber(j) && int.TryParse(tokens.Span(j), System.Globalization.CultureInfo.InvariantCulture, out var value))
                        modifiers.Add(value);
                }

                i = close;
                continue;
            }

            if (tokens.IsSymbol(i, '[') || tokens.IsWord(i, "ARRAY"))
                isArray = true;
            else if (tokens.IsIdentifier(i) && !tokens.IsSymbol(i + 1, '.'))
                words.Add(tokens.Identifier(i));
            i++;
        }

        if (words.Count == 0)
            return null;
        var written = string.Join(' ', words);
        var name = Canonical.GetValueOrDefault(written, written);
        if (written == "float" && modifiers.Count == 1)
        {
            name = modifiers[0] <= 24 ? "float4" : "float8";
            modifiers.Clear();
        }

        return new ColumnType(name, modifiers, isArray);
    }

    /// <summary>What changing a column of type <paramref name="old"/> to <paramref name="target"/> costs.</summary>
    public static TypeChangeCost Change(ColumnType? old, ColumnType target)
    {
        if (old is null)
            return TypeChangeCost.Unknown;
        if (old.IsArray != target.IsArray)
            return TypeChangeCost.Rewrite;
        if (old.Name == target.Name)
            return SameTypeChange(old, target);

        // Binary-compatible casts: the stored bytes stay valid, PostgreSQL only updates the catalog.
        var binaryCompatible = (old.Name, target.Name) switch
        {
            ("varchar", "text") => true,
            ("text", "varchar") => target.Modifiers.Count == 0,
            ("cidr", "inet") => true,
            _ => false,
        };
        return binaryCompatible ? TypeChangeCost.CatalogOnly : TypeChangeCost.Rewrite;
    }

    private static TypeChangeCost SameTypeChange(ColumnType old, ColumnType target)
    {
        if (old.Modifiers.SequenceEqual(target.Modifiers))
            return TypeChangeCost.CatalogOnly;
        if (target.Modifiers.Count == 0)
            return old.Name is "numeric" || GrowableModifier.Contains(old.Name) ? TypeChangeCost.CatalogOnly : TypeChangeCost.Rewrite;
        if (old.Modifiers.Count == 0)
            return TypeChangeCost.Rewrite;
        if (GrowableModifier.Contains(old.Name))
            return target.Modifiers[0] >= old.Modifiers[0] ? TypeChangeCost.CatalogOnly : TypeChangeCost.Rewrite;
        if (old.Name == "numeric")
        {
            // numeric(p, s) to numeric(p2, s) with p2 >= p keeps every stored value.
            var oldScale = old.Modifiers.Count > 1 ? old.Modifiers[1] : 0;
            var newScale = target.Modifiers.Count > 1 ? target.Modifiers[1] : 0;
            return oldScale == newScale && target.Modifiers[0] >= old.Modifiers[0] ? TypeChangeCost.CatalogOnly : TypeChangeCost.Rewrite;
        }

        return TypeChangeCost.Rewrite;
    }
}
