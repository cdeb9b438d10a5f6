namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>
/// Recognises the statements lint rules look at, on the project's own lexer: one pass over the tokens of each
/// statement, no regular expressions. Anything it does not know is <see cref="OtherStatement"/>, never an error.
/// </summary>
internal static class StatementRecogniser
{
    public static RecognisedStatement Recognise(StatementTokens tokens)
    {
        if (tokens.Count == 0)
            return OtherStatement.Instance;
        if (tokens.IsWord(0, "CREATE"))
            return Create(tokens);
        if (tokens.IsWord(0, "ALTER"))
            return Alter(tokens);
        if (tokens.IsWord(0, "DROP"))
            return Drop(tokens);
        if (tokens.IsAnyWord(0, "UPDATE", "DELETE", "INSERT", "MERGE", "WITH"))
            return DataChangeReader.Read(tokens);
        return Maintenance(tokens);
    }

    private static RecognisedStatement Create(StatementTokens tokens)
    {
        var i = 1;
        if (tokens.IsWord(i, "OR") && tokens.IsWord(i + 1, "REPLACE"))
            i += 2;
        while (tokens.IsAnyWord(i, "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "CONSTRAINT"))
            i++;
        if (tokens.IsWord(i, "TABLE"))
            return CreateTableReader.Read(tokens, i + 1);
        if (tokens.IsWord(i, "UNIQUE") || tokens.IsWord(i, "INDEX"))
            return CreateIndexStatement(tokens, i);
        if (tokens.IsWord(i, "TYPE") && tokens.Name(i + 1, out var next) is { } type)
            return tokens.IsWord(next, "AS") && tokens.IsWord(next + 1, "ENUM") ? new CreateEnum(type) : OtherStatement.Instance;
        if (tokens.IsWord(i, "TRIGGER"))
        {
            var on = tokens.FindTopLevel(i, tokens.Count, "ON");
            if (on >= 0 && tokens.Name(on + 1, out _) is { } table)
                return new TableLock([table], LockMode.ShareRowExclusive);
        }

        return OtherStatement.Instance;
    }

    private static RecognisedStatement CreateIndexStatement(StatementTokens tokens, int i)
    {
        // CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table ...
        var unique = tokens.IsWord(i, "UNIQUE");
        if (unique)
            i++;
        if (!tokens.IsWord(i, "INDEX"))
            return OtherStatement.Instance;
        i++;
        var concurrently = tokens.IsWord(i, "CONCURRENTLY");
        if (concurrently)
            i++;
        var ifNotExists = tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "NOT") && tokens.IsWord(i + 2, "EXISTS");
        if (ifNotExists)
            i += 3;
        ObjectName? index = null;
        if (!tokens.IsWord(i, "ON"))
        {
            index = tokens.Name(i, out var afterName);
            i = afterName;
        }

        if (!tokens.IsWord(i, "ON"))
            return OtherStatement.Instance;
        i++;
        if (tokens.IsWord(i, "ONLY"))
            i++;
        if (tokens.Name(i, out _) is not { } table)
            return OtherStatement.Instance;

        // An unqualified index lives in its table's schema.
        if (index is { } named && named.Schema == "public" && table.Schema != "public")
            index = named with { Schema = table.Schema };
        return new CreateIndex(index, table, unique, concurrently, ifNotExists);
    }

    private static RecognisedStatement Alter(StatementTokens tokens)
    {
        if (tokens.IsWord(1, "TABLE"))
            return AlterTableReader.Read(tokens);
        if (tokens.IsWord(1, "TYPE") && tokens.Name(2, out var next) is { } type
            && tokens.IsWord(next, "ADD") && tokens.IsWord(next + 1, "VALUE"))
        {
            var value = next + 2;
            if (tokens.IsWord(value, "IF") && tokens.IsWord(value + 1, "NOT") && tokens.IsWord(value + 2, "EXISTS"))
                value += 3;
            return tokens.StringValue(value) is { } text ? new AddEnumValue(type, text) : OtherStatement.Instance;
        }

        return OtherStatement.Instance;
    }

    private static RecognisedStatement Drop(StatementTokens tokens)
    {
        var isTable = tokens.IsWord(1, "TABLE");
        if (!isTable && !tokens.IsWord(1, "INDEX"))
            return OtherStatement.Instance;
        var i = 2;
        var concurrently = !isTable && tokens.IsWord(i, "CONCURRENTLY");
        if (concurrently)
            i++;
        var ifExists = tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "EXISTS");
        if (ifExists)
            i += 2;
        var names = NameList(tokens, i, out _);
        return isTable ? new DropTable(names) : new DropIndex(names, concurrently, ifExists);
    }

    private static RecognisedStatement Maintenance(StatementTokens tokens)
    {
        if (tokens.IsWord(0, "TRUNCATE"))
        {
            var i = tokens.IsWord(1, "TABLE") ? 2 : 1;
            return new Truncate(NameList(tokens, tokens.IsWord(i, "ONLY") ? i + 1 : i, out _));
        }

        if (tokens.IsWord(0, "VACUUM"))
            return VacuumStatement(tokens);
        if (tokens.IsWord(0, "CLUSTER"))
        {
            var i = tokens.IsWord(1, "VERBOSE") ? 2 : tokens.IsSymbol(1, '(') ? tokens.SkipParenthesized(1) : 1;
            return tokens.Name(i, out _) is { } table ? new Cluster(table) : OtherStatement.Instance;
        }

        if (tokens.IsWord(0, "REINDEX"))
            return ReindexStatement(tokens);
        if (tokens.IsWord(0, "LOCK"))
            return LockStatement(tokens);
        return OtherStatement.Instance;
    }

    private static RecognisedStatement VacuumStatement(StatementTokens tokens)
    {
        // VACUUM FULL [FREEZE] [VERBOSE] [ANALYZE] [table, ...] or VACUUM (FULL [true], ...) [table, ...]
        var i = 1;
        var full = false;
        if (tokens.IsSymbol(1, '('))
        {
            var close = tokens.SkipParenthesized(1);
            for (var j = 2; j < close; j++)
                full |= tokens.IsWord(j, "FULL") && !tokens.IsFalseOption(j + 1);
            i = close;
        }
        else
        {
            while (tokens.IsAnyWord(i, "FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE"))
                full |= tokens.IsWord(i++, "FULL");
        }

        return full ? new VacuumFull(NameList(tokens, i, out _)) : OtherStatement.Instance;
    }

    private static RecognisedStatement ReindexStatement(StatementTokens tokens)
    {
        var i = 1;
        var concurrently = false;
        if (tokens.IsSymbol(i, '('))
        {
            var close = tokens.SkipParenthesized(i);
            for (var j = i + 1; j < close; j++)
                concurrently |= tokens.IsWord(j, "CONCURRENTLY") && !tokens.IsFalseOption(j + 1);
            i = close;
        }

        var target = tokens.IsIdentifier(i) ? tokens.Identifier(i).ToUpperInvariant() : "";
        i++;
        if (tokens.IsWord(i, "CONCURRENTLY"))
        {
            concurrently = true;
            i++;
        }

        return new Reindex(target, tokens.Name(i, out _), concurrently);
    }

    private static RecognisedStatement LockStatement(StatementTokens tokens)
    {
        var i = tokens.IsWord(1, "TABLE") ? 2 : 1;
        var names = NameList(tokens, tokens.IsWord(i, "ONLY") ? i + 1 : i, out var next);
        var mode = LockMode.AccessExclusive;
        if (tokens.IsWord(next, "IN"))
        {
            var words = tokens.Join(next + 1, tokens.Count).ToUpperInvariant();
            mode = words.StartsWith("ACCESS EXCLUSIVE", StringComparison.Ordinal) ? LockMode.AccessExclusive
                : words.StartsWith("EXCLUSIVE", StringComparison.Ordinal) ? LockMode.Exclusive
                : words.StartsWith("SHARE ROW EXCLUSIVE", StringComparison.Ordinal) ? LockMode.ShareRowExclusive
                : words.StartsWith("SHARE UPDATE EXCLUSIVE", StringComparison.Ordinal) ? LockMode.ShareUpdateExclusive
                : words.StartsWith("SHARE MODE", StringComparison.Ordinal) ? LockMode.Share
                : LockMode.None;
        }

        return new TableLock(names, mode);
    }

    /// <summary>A comma-separated list of names from <paramref name="start"/>; <paramref name="next"/> is the token after it.</summary>
    internal static List<ObjectName> NameList(StatementTokens tokens, int start, out int next)
    {
        var names = new List<ObjectName>();
        next = start;
        while (tokens.Name(next, out var after) is { } name)
        {
            names.Add(name);
            next = tokens.IsSymbol(after, '*') ? after + 1 : after;
            if (!tokens.IsSymbol(next, ','))
                break;
            next++;
        }

        return names;
    }
}
