namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>
/// Reads data-changing statements: <c>UPDATE</c>, <c>DELETE</c>, <c>INSERT</c> and <c>MERGE</c>, after any
/// <c>WITH</c> list, and what bounds the rows they change.
/// </summary>
internal static class DataChangeReader
{
    public static RecognisedStatement Read(StatementTokens tokens)
    {
        var i = tokens.IsWord(0, "WITH") ? AfterWithList(tokens) : 0;
        if (!tokens.IsAnyWord(i, "UPDATE", "DELETE", "INSERT", "MERGE"))
            return OtherStatement.Instance;
        var verb = tokens.Span(i).ToString().ToUpperInvariant();
        i++;
        if (verb != "UPDATE")
        {
            // DELETE FROM, INSERT INTO, MERGE INTO
            if (!tokens.IsAnyWord(i, "FROM", "INTO"))
                return OtherStatement.Instance;
            i++;
        }

        if (tokens.IsWord(i, "ONLY"))
            i++;
        if (tokens.Name(i, out var afterTable) is not { } table)
            return OtherStatement.Instance;
        var limited = tokens.ContainsWord(0, tokens.Count, "LIMIT") || tokens.ContainsWord(0, tokens.Count, "FETCH");
        var where = tokens.FindTopLevel(afterTable, tokens.Count, "WHERE");
        var whereEnd = where < 0 ? -1 : End(tokens, where + 1, "RETURNING", "ON");
        return new DataChange(verb, table, limited)
        {
            Filtered = verb is "UPDATE" or "DELETE" && where >= 0 && !OnlyNullTests(tokens, where + 1, whereEnd),
            KeysetRange = where >= 0 && IsRange(tokens, where + 1, whereEnd),
            Source = verb is "INSERT" or "MERGE" ? SourceTable(tokens, afterTable) : null,
            Copies = verb == "MERGE" || (verb == "INSERT" && tokens.FindTopLevel(afterTable, tokens.Count, "SELECT") >= 0),
        };
    }

    /// <summary>The index of the main statement after <c>WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...), ...</c>.</summary>
    private static int AfterWithList(StatementTokens tokens)
    {
        var i = tokens.IsWord(1, "RECURSIVE") ? 2 : 1;
        while (true)
        {
            // FindTopLevel steps over a column list in parentheses.
            var body = tokens.FindTopLevel(i, tokens.Count, "AS") + 1;
            while (tokens.IsAnyWord(body, "NOT", "MATERIALIZED"))
                body++;
            if (body == 0 || !tokens.IsSymbol(body, '('))
                return tokens.Count;
            i = tokens.SkipParenthesized(body);
            if (!tokens.IsSymbol(i, ','))
                return i;
            i++;
        }
    }

    private static int End(StatementTokens tokens, int start, params ReadOnlySpan<string> keywords)
    {
        var end = tokens.FindTopLevel(start, tokens.Count, keywords);
        return end < 0 ? tokens.Count : end;
    }

    /// <summary>The table an <c>INSERT ... SELECT ... FROM</c> reads (its first <c>FROM</c> name), or a <c>MERGE</c>'s <c>USING</c> table.</summary>
    private static ObjectName? SourceTable(StatementTokens tokens, int start)
    {
        var from = tokens.FindTopLevel(start, tokens.Count, "FROM", "USING");
        return from < 0 ? null : tokens.Name(from + 1, out _);
    }

    /// <summary>Whether the condition compares one column with a lower and an upper bound (or <c>BETWEEN</c>): a keyset range.</summary>
    private static bool IsRange(StatementTokens tokens, int start, int end)
    {
        var lower = new HashSet<string>(StringComparer.Ordinal);
        var upper = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i < end; i++)
        {
            if (tokens.Name(i, out var next) is not { } column)
                continue;
            if (tokens.IsWord(next, "BETWEEN"))
                return true;
            if (tokens.IsSymbol(next, '>'))
                lower.Add(column.Name);
            else if (tokens.IsSymbol(next, '<') && !tokens.IsSymbol(next + 1, '>'))
                upper.Add(column.Name);
            i = next - 1;
        }

        return lower.Overlaps(upper);
    }

    /// <summary>Whether the condition only tests columns for NULL (<c>col IS [NOT] NULL [AND|OR ...]</c>): the shape that reaches every row.</summary>
    private static bool OnlyNullTests(StatementTokens tokens, int start, int end)
    {
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
