namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>Reads <c>CREATE TABLE [IF NOT EXISTS] name (column, ..., table_constraint, ...)</c> after the word TABLE.</summary>
internal static class CreateTableReader
{
    public static RecognisedStatement Read(StatementTokens tokens, int i)
    {
        var ifNotExists = tokens.IsWord(i, "IF") && tokens.IsWord(i + 1, "NOT") && tokens.IsWord(i + 2, "EXISTS");
        if (ifNotExists)
            i += 3;
        if (tokens.Name(i, out var next) is not { } table)
            return OtherStatement.Instance;

        var columns = new List<ColumnDefinition>();
        if (tokens.IsSymbol(next, '('))
        {
            var end = tokens.SkipParenthesized(next) - 1;
            var element = next + 1;
            while (element < end)
            {
                var comma = tokens.NextTopLevelComma(element, end);
                if (!tokens.IsAnyWord(element, "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE", "LIKE")
                    && ColumnDefinitionReader.Read(tokens, element, comma) is { } column)
                {
                    columns.Add(column);
                }

                element = comma + 1;
            }
        }

        return new CreateTable(table, ifNotExists, columns);
    }
}
