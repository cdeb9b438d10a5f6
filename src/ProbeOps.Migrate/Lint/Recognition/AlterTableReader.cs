namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>Reads <c>ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, ...]</c>, every action on its own.</summary>
internal static class AlterTableReader
{
    public static RecognisedStatement Read(StatementTokens tokens)
    {
        var i = 2;
        if (tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "EXISTS"))
            i += 2;
        if (tokens.IsWord(i, "ONLY"))
            i++;
        if (tokens.IsWord(i, "ALL") || tokens.Name(i, out var next) is not { } table)
            return OtherStatement.Instance;
        if (tokens.IsSymbol(next, '*'))
            next++;

        var actions = new List<AlterAction>();
        while (next < tokens.Count)
        {
            var end = tokens.NextTopLevelComma(next, tokens.Count);
            actions.Add(Action(tokens, next, end));
            next = end + 1;
        }

        return new AlterTable(table, actions);
    }

    private static AlterAction Action(StatementTokens tokens, int start, int end)
    {
        var text = tokens.Join(start, end);
        if (tokens.IsWord(start, "ADD"))
            return Add(tokens, start + 1, end, text);
        if (tokens.IsWord(start, "DROP"))
            return Drop(tokens, start + 1, text);
        if (tokens.IsWord(start, "ALTER"))
            return AlterColumn(tokens, tokens.IsWord(start + 1, "COLUMN") ? start + 2 : start + 1, end, text);
        if (tokens.IsWord(start, "VALIDATE") && tokens.IsWord(start + 1, "CONSTRAINT") && tokens.IsIdentifier(start + 2))
            return new ValidateConstraint(text, tokens.Identifier(start + 2));
        if (tokens.IsWord(start, "RENAME"))
            return RenameAction(tokens, start + 1, text);
        if (tokens.IsWord(start, "SET"))
            return Set(tokens, start + 1, text);
        if (tokens.IsAnyWord(start, "ENABLE", "DISABLE") && tokens.IsWord(start + 1, "TRIGGER"))
            return new OtherAction(text, LockMode.ShareRowExclusive);
        if (tokens.IsWord(start, "CLUSTER") || tokens.IsWord(start, "ATTACH")
            || (tokens.IsWord(start, "DETACH") && tokens.ContainsWord(start, end, "CONCURRENTLY")))
        {
            return new OtherAction(text, LockMode.ShareUpdateExclusive);
        }

        return new OtherAction(text, LockMode.AccessExclusive);
    }

    private static AlterAction Add(StatementTokens tokens, int i, int end, string text)
    {
        if (tokens.IsAnyWord(i, "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE"))
            return Constraint(tokens, i, end, text);
        if (tokens.IsWord(i, "COLUMN"))
            i++;
        if (tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "NOT") && tokens.IsWord(i + 2, "EXISTS"))
            i += 3;
        return ColumnDefinitionReader.Read(tokens, i, end) is { } column
            ? new AddColumn(text, column)
            : new OtherAction(text, LockMode.AccessExclusive);
    }

    private static AlterAction Constraint(StatementTokens tokens, int i, int end, string text)
    {
        string? name = null;
        if (tokens.IsWord(i, "CONSTRAINT") && tokens.IsIdentifier(i + 1))
        {
            name = tokens.Identifier(i + 1);
            i += 2;
        }

        var kind = tokens.IsWord(i, "CHECK") ? ConstraintKind.Check
            : tokens.IsWord(i, "UNIQUE") ? ConstraintKind.Unique
            : tokens.IsWord(i, "PRIMARY") ? ConstraintKind.PrimaryKey
            : tokens.IsWord(i, "FOREIGN") ? ConstraintKind.ForeignKey
            : ConstraintKind.Exclude;
        var notValid = false;
        for (var j = i; j < end - 1; j++)
            notValid |= tokens.IsWord(j, "NOT") && tokens.IsWord(j + 1, "VALID");
        var usingIndex = tokens.FindTopLevel(i, end, "USING") is var at and >= 0 && tokens.IsWord(at + 1, "INDEX");
        var notNullColumn = kind == ConstraintKind.Check ? NotNullColumn(tokens, i + 1) : null;
        ObjectName? references = null;
        if (kind == ConstraintKind.ForeignKey && tokens.FindTopLevel(i, end, "REFERENCES") is var r and >= 0)
            references = tokens.Name(r + 1, out _);
        return new AddConstraint(text, kind, name, notValid, usingIndex, notNullColumn, references);
    }

    /// <summary>The column of <c>CHECK (col IS NOT NULL)</c> (extra parentheses allowed) at <paramref name="open"/>, else null.</summary>
    private static string? NotNullColumn(StatementTokens tokens, int open)
    {
        var close = tokens.SkipParenthesized(open) - 1;
        while (tokens.IsSymbol(open + 1, '(') && tokens.SkipParenthesized(open + 1) == close)
        {
            open++;
            close--;
        }

        var column = open + 1;
        return close - column == 4 && tokens.IsIdentifier(column) && tokens.IsWord(column + 1, "IS")
            && tokens.IsWord(column + 2, "NOT") && tokens.IsWord(column + 3, "NULL")
            ? tokens.Identifier(column)
            : null;
    }

    private static AlterAction Drop(StatementTokens tokens, int i, string text)
    {
        if (tokens.IsWord(i, "CONSTRAINT"))
            return new OtherAction(text, LockMode.AccessExclusive);
        if (tokens.IsWord(i, "COLUMN"))
            i++;
        if (tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "EXISTS"))
            i += 2;
        return tokens.IsIdentifier(i) ? new DropColumn(text, tokens.Identifier(i)) : new OtherAction(text, LockMode.AccessExclusive);
    }

    private static AlterAction AlterColumn(StatementTokens tokens, int i, int end, string text)
    {
        if (!tokens.IsIdentifier(i))
            return new OtherAction(text, LockMode.AccessExclusive);
        var column = tokens.Identifier(i);
        var at = i + 1;
        if (tokens.IsWord(at, "SET") && tokens.IsWord(at + 1, "DATA"))
            at += 2;
        if (tokens.IsWord(at, "TYPE"))
        {
            var usingAt = tokens.FindTopLevel(at + 1, end, "USING");
            var collateAt = tokens.FindTopLevel(at + 1, end, "COLLATE");
            var typeEnd = Math.Min(usingAt < 0 ? end : usingAt, collateAt < 0 ? end : collateAt);
            return new AlterColumnType(text, column, ColumnType.Read(tokens, at + 1, typeEnd), usingAt >= 0);
        }

        if (tokens.IsWord(at, "SET") && tokens.IsWord(at + 1, "NOT") && tokens.IsWord(at + 2, "NULL"))
            return new SetNotNull(text, column);
        var light = tokens.IsWord(at, "SET") && (tokens.IsWord(at + 1, "STATISTICS") || tokens.IsSymbol(at + 1, '('));
        return new OtherAction(text, light ? LockMode.ShareUpdateExclusive : LockMode.AccessExclusive);
    }

    private static AlterAction RenameAction(StatementTokens tokens, int i, string text)
    {
        if (tokens.IsWord(i, "TO") && tokens.IsIdentifier(i + 1))
            return new Rename(text, null, tokens.Identifier(i + 1));
        if (tokens.IsWord(i, "CONSTRAINT"))
            return new OtherAction(text, LockMode.AccessExclusive);
        if (tokens.IsWord(i, "COLUMN"))
            i++;
        return tokens.IsIdentifier(i) && tokens.IsWord(i + 1, "TO") && tokens.IsIdentifier(i + 2)
            ? new Rename(text, tokens.Identifier(i), tokens.Identifier(i + 2))
            : new OtherAction(text, LockMode.AccessExclusive);
    }

    private static AlterAction Set(StatementTokens tokens, int i, string text)
    {
        if (tokens.IsAnyWord(i, "LOGGED", "UNLOGGED", "TABLESPACE") || (tokens.IsWord(i, "ACCESS") && tokens.IsWord(i + 1, "METHOD")))
            return new RewritingAction(text);
        var light = tokens.IsSymbol(i, '(') || (tokens.IsWord(i, "WITHOUT") && tokens.IsWord(i + 1, "CLUSTER"));
        return new OtherAction(text, light ? LockMode.ShareUpdateExclusive : LockMode.AccessExclusive);
    }
}
