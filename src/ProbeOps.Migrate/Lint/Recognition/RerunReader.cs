namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>A <c>CREATE</c> of any kind of object, as far as running it again matters.</summary>
/// <param name="Kind">The kind of object in upper case: <c>VIEW</c>, <c>MATERIALIZED VIEW</c>, <c>FUNCTION</c>, <c>INDEX</c>, ...</param>
/// <param name="Name">The object's name; null when the statement names none (<c>CREATE INDEX ON t (c)</c>).</param>
internal sealed record CreatedObject(string Kind, ObjectName? Name, bool OrReplace, bool IfNotExists);

/// <summary>A <c>DROP</c> of objects of one kind.</summary>
internal sealed record DroppedObjects(string Kind, IReadOnlyList<ObjectName> Names, bool IfExists);

/// <summary>Reads <c>CREATE</c> and <c>DROP</c> of any kind of object, for the rule on repeatable migrations (PL191).</summary>
internal static class RerunReader
{
    private static readonly string[] Modifiers = ["GLOBAL", "LOCAL", "UNLOGGED", "RECURSIVE", "TRUSTED", "PROCEDURAL", "CONSTRAINT", "UNIQUE"];

    /// <summary>The object a <c>CREATE</c> statement defines; null for another statement or a temporary object.</summary>
    public static CreatedObject? Created(StatementTokens tokens)
    {
        if (!tokens.IsWord(0, "CREATE"))
            return null;
        var i = 1;
        var orReplace = tokens.IsWord(i, "OR") && tokens.IsWord(i + 1, "REPLACE");
        if (orReplace)
            i += 2;
        if (tokens.IsAnyWord(i, "TEMP", "TEMPORARY"))
            return null;
        while (tokens.IsAnyWord(i, Modifiers))
            i++;
        if (Kind(tokens, ref i) is not { } kind)
            return null;
        if (tokens.IsWord(i, "CONCURRENTLY"))
            i++;
        var ifNotExists = tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "NOT") && tokens.IsWord(i + 2, "EXISTS");
        if (ifNotExists)
            i += 3;
        var name = kind == "INDEX" && tokens.IsWord(i, "ON") ? null : tokens.Name(i, out _);
        return new CreatedObject(kind, name, orReplace, ifNotExists);
    }

    /// <summary>The objects a <c>DROP</c> statement removes; null for another statement.</summary>
    public static DroppedObjects? Dropped(StatementTokens tokens)
    {
        if (!tokens.IsWord(0, "DROP"))
            return null;
        var i = 1;
        if (Kind(tokens, ref i) is not { } kind)
            return null;
        if (tokens.IsWord(i, "CONCURRENTLY"))
            i++;
        var ifExists = tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "EXISTS");
        if (ifExists)
            i += 2;
        var names = new List<ObjectName>();
        while (tokens.Name(i, out var next) is { } name)
        {
            names.Add(name);

            // A function's argument list, then the next name of the list.
            i = tokens.IsSymbol(next, '(') ? tokens.SkipParenthesized(next) : next;
            if (!tokens.IsSymbol(i, ','))
                break;
            i++;
        }

        return new DroppedObjects(kind, names, ifExists);
    }

    /// <summary>The kind of object at <paramref name="i"/>, one or two words (<c>MATERIALIZED VIEW</c>, <c>EVENT TRIGGER</c>).</summary>
    private static string? Kind(StatementTokens tokens, ref int i)
    {
        if (!tokens.IsIdentifier(i) || !tokens.IsWord(i, tokens.Span(i).ToString()))
            return null;
        var first = tokens.Span(i).ToString().ToUpperInvariant();
        i++;
        if (first is "MATERIALIZED" or "FOREIGN" or "EVENT" or "ACCESS" or "TEXT" or "USER" && tokens.IsIdentifier(i))
            return first + " " + tokens.Span(i++).ToString().ToUpperInvariant();
        return first;
    }
}
