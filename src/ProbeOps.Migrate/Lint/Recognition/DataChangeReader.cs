namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>Reads <c>UPDATE [ONLY] table ...</c> and <c>DELETE FROM [ONLY] table ...</c>, and whether their rows are bounded.</summary>
internal static class DataChangeReader
{
    public static RecognisedStatement Read(StatementTokens tokens)
    {
        var verb = tokens.IsWord(0, "UPDATE") ? "UPDATE" : "DELETE";
        var i = 1;
        if (verb == "DELETE")
        {
            if (!tokens.IsWord(i, "FROM"))
                return OtherStatement.Instance;
            i++;
        }

        if (tokens.IsWord(i, "ONLY"))
            i++;
        if (tokens.Name(i, out _) is not { } table)
            return OtherStatement.Instance;
        return new DataChange(verb, table, Bounded(tokens, i));
    }

    /// <summary>
    /// A LIMIT anywhere (<c>WHERE id IN (SELECT ... LIMIT n)</c>) bounds the rows; so does a top-level WHERE, unless it
    /// only tests columns for NULL, the shape of a backfill that reaches every row.
    /// </summary>
    private static bool Bounded(StatementTokens tokens, int start)
    {
        if (tokens.ContainsWord(start, tokens.Count, "LIMIT"))
            return true;
        var where = tokens.FindTopLevel(start, tokens.Count, "WHERE");
        if (where < 0)
            return false;
        var end = tokens.FindTopLevel(where + 1, tokens.Count, "RETURNING");
        return !OnlyNullTests(tokens, where + 1, end < 0 ? tokens.Count : end);
    }

    private static bool OnlyNullTests(StatementTokens tokens, int start, int end)
    {
        // col IS [NOT] NULL [AND|OR col IS [NOT] NULL ...]
        var i = start;
        while (i < end)
        {
            if (!tokens.Name(i, out var next).HasValue || !tokens.IsWord(next, "IS"))
                return false;
            next++;
            if (tokens.IsWord(next, "NOT"))
                next++;
            if (!tokens.IsWord(next, "NULL"))
                return false;
            i = next + 1;
            if (i < end && !tokens.IsAnyWord(i, "AND", "OR"))
                return false;
            i++;
        }

        return true;
    }
}
