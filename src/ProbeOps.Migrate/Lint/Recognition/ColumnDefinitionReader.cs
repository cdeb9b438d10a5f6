using System.Collections.Frozen;

namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>Reads a column definition: <c>name type [COLLATE c] [constraint ...]</c>.</summary>
internal static class ColumnDefinitionReader
{
    // Functions PostgreSQL marks volatile that a default may call: each row gets its own value, so every row is written.
    private static readonly FrozenSet<string> VolatileFunctions = new[]
    {
        "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7",
        "clock_timestamp", "timeofday", "random", "random_normal", "nextval", "gen_random_bytes", "txid_current",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] ConstraintWords =
        ["CONSTRAINT", "NOT", "NULL", "DEFAULT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED", "COLLATE", "COMPRESSION", "STORAGE"];

    /// <summary>The column defined by tokens [start, end); null when they do not start with a name.</summary>
    public static ColumnDefinition? Read(StatementTokens tokens, int start, int end)
    {
        if (!tokens.IsIdentifier(start))
            return null;
        var name = tokens.Identifier(start);
        var typeEnd = NextConstraintWord(tokens, start + 1, end);
        var type = ColumnType.Read(tokens, start + 1, typeEnd);
        var column = new ColumnDefinition(name, type, false, DefaultKind.None, null, false, false, false);
        var i = typeEnd;
        while (i < end)
        {
            if (tokens.IsWord(i, "NOT") && tokens.IsWord(i + 1, "NULL"))
            {
                column = column with { NotNull = true };
                i += 2;
            }
            else if (tokens.IsWord(i, "DEFAULT"))
            {
                var expressionEnd = NextConstraintWord(tokens, i + 2, end);
                column = ReadDefault(tokens, i + 1, expressionEnd, column);
                i = expressionEnd;
            }
            else if (tokens.IsWord(i, "GENERATED"))
            {
                var clauseEnd = NextConstraintWord(tokens, i + 1, end);
                column = tokens.ContainsWord(i, clauseEnd, "IDENTITY")
                    ? column with { Identity = true }
                    : column with { StoredGenerated = true };
                i = clauseEnd;
            }
            else if (tokens.IsAnyWord(i, "UNIQUE", "PRIMARY"))
            {
                column = column with { UniqueOrPrimaryKey = true, NotNull = column.NotNull || tokens.IsWord(i, "PRIMARY") };
                i++;
            }
            else
            {
                i = tokens.IsSymbol(i, '(') ? tokens.SkipParenthesized(i) : i + 1;
            }
        }

        return column;
    }

    private static ColumnDefinition ReadDefault(StatementTokens tokens, int start, int end, ColumnDefinition column)
    {
        if (end == start + 1 && tokens.IsWord(start, "NULL"))
            return column with { Default = DefaultKind.Null };
        for (var i = start; i < end; i++)
        {
            if (tokens.IsIdentifier(i) && tokens.IsSymbol(i + 1, '('))
            {
                var function = tokens.Identifier(i);
                if (VolatileFunctions.Contains(function))
                    return column with { Default = DefaultKind.Volatile, VolatileFunction = function };
            }
        }

        return column with { Default = DefaultKind.Stable };
    }

    private static int NextConstraintWord(StatementTokens tokens, int start, int end)
    {
        var found = tokens.FindTopLevel(start, end, ConstraintWords);
        return found < 0 ? end : found;
    }
}
