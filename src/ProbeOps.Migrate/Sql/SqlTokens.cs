namespace ProbeOps.Migrate.Sql;

/// <summary>Code tokens of one statement, comments skipped, with keyword and symbol tests.</summary>
internal ref struct SqlTokens(ReadOnlySpan<char> text, SqlLexerRules rules)
{
    private readonly ReadOnlySpan<char> _text = text;
    private SqlLexer _lexer = new(text, rules);

    public SqlToken? Next() => _lexer.TryNextCode(out var token) ? token : null;

    public readonly bool IsWord(SqlToken? token, string keyword) =>
        token is { Kind: SqlTokenKind.Word } t && Slice(t).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public readonly bool IsSymbol(SqlToken? token, char symbol) =>
        token is { Kind: SqlTokenKind.Symbol } t && _text[t.Start] == symbol;

    public readonly bool IsText(SqlToken? token, string text) =>
        token is { } t && Slice(t).Equals(text, StringComparison.Ordinal);

    /// <summary>Skips to the matching <c>)</c> and returns the token after it.</summary>
    public SqlToken? SkipParenthesized()
    {
        var depth = 1;
        for (var token = Next(); token is not null; token = Next())
        {
            if (IsSymbol(token, '('))
                depth++;
            else if (IsSymbol(token, ')') && --depth == 0)
                return Next();
        }

        return null;
    }

    private readonly ReadOnlySpan<char> Slice(SqlToken token) => _text[token.Start..token.End];
}
