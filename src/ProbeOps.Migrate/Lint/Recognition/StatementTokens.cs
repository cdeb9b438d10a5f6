using System.Text;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>A table, index or type name: schema-qualified, folded as PostgreSQL folds it.</summary>
/// <param name="Schema">The schema, <c>public</c> when the name has none (lint does not follow a search_path).</param>
/// <param name="Name">The object's own name.</param>
internal readonly record struct ObjectName(string Schema, string Name)
{
    public override string ToString() => Schema == "public" ? Name : Schema + "." + Name;
}

/// <summary>
/// The code tokens of one statement (comments dropped), lexed once with PostgreSQL's rules; the recognisers walk
/// them by index. Words inside strings, quoted identifiers and comments are never read as keywords.
/// </summary>
internal sealed class StatementTokens
{
    private readonly List<SqlToken> _tokens = [];

    public StatementTokens(string text)
    {
        Text = text;
        var lexer = new SqlLexer(text, PostgreSqlDialect.Lexer);
        while (lexer.TryNextCode(out var token))
            _tokens.Add(token);
    }

    public string Text { get; }

    public int Count => _tokens.Count;

    /// <summary>The offset in <see cref="Text"/> of the first code token (after leading comments).</summary>
    public int CodeStart => _tokens.Count == 0 ? 0 : _tokens[0].Start;

    public bool IsWord(int i, string keyword) =>
        i < _tokens.Count && _tokens[i].Kind == SqlTokenKind.Word && Span(i).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsAnyWord(int i, params ReadOnlySpan<string> keywords)
    {
        foreach (var keyword in keywords)
        {
            if (IsWord(i, keyword))
                return true;
        }

        return false;
    }

    public bool IsSymbol(int i, char symbol) =>
        i < _tokens.Count && _tokens[i].Kind == SqlTokenKind.Symbol && Text[_tokens[i].Start] == symbol;

    public bool IsIdentifier(int i) =>
        i < _tokens.Count && _tokens[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public bool IsString(int i) => i < _tokens.Count && _tokens[i].Kind == SqlTokenKind.String;

    public bool IsNumber(int i) => i < _tokens.Count && _tokens[i].Kind == SqlTokenKind.Number;

    /// <summary>An option value that turns the option off: <c>false</c>, <c>off</c> or <c>0</c>.</summary>
    public bool IsFalseOption(int i) => IsAnyWord(i, "FALSE", "OFF") || (IsNumber(i) && Span(i) is "0");

    public ReadOnlySpan<char> Span(int i) => Text.AsSpan(_tokens[i].Start, _tokens[i].End - _tokens[i].Start);

    public int Offset(int i) => i < _tokens.Count ? _tokens[i].Start : Text.Length;

    /// <summary>An identifier as PostgreSQL names it: unquoted words fold to lower case, quoted ones keep their case.</summary>
    public string Identifier(int i)
    {
        var span = Span(i);
        if (_tokens[i].Kind != SqlTokenKind.QuotedIdentifier)
            return span.ToString().ToLowerInvariant();
        var inner = span.Length >= 2 ? span[1..^1] : span;
        return inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>The value of a plain <c>'...'</c> or <c>E'...'</c> string literal; null for other tokens.</summary>
    public string? StringValue(int i)
    {
        if (!IsString(i))
            return null;
        var span = Span(i);
        if (span.Length > 0 && (span[0] == 'E' || span[0] == 'e'))
            span = span[1..];
        if (span.Length < 2 || span[0] != '\'')
            return null;
        return span[1..^1].ToString().Replace("''", "'", StringComparison.Ordinal);
    }

    /// <summary>A name of one to three parts (<c>db.schema.name</c>) at <paramref name="i"/>; <paramref name="next"/> is the token after it.</summary>
    public ObjectName? Name(int i, out int next)
    {
        next = i;
        if (!IsIdentifier(i))
            return null;
        string? schema = null;
        var name = Identifier(i);
        next = i + 1;
        while (IsSymbol(next, '.') && IsIdentifier(next + 1))
        {
            schema = name;
            name = Identifier(next + 1);
            next += 2;
        }

        return new ObjectName(schema ?? "public", name);
    }

    /// <summary>The index just past the <c>)</c> matching the <c>(</c> at <paramref name="open"/>.</summary>
    public int SkipParenthesized(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            if (IsSymbol(i, '('))
                depth++;
            else if (IsSymbol(i, ')') && --depth == 0)
                return i + 1;
        }

        return _tokens.Count;
    }

    /// <summary>The index of the next top-level <c>,</c> (outside parentheses) from <paramref name="start"/>, or <paramref name="end"/>.</summary>
    public int NextTopLevelComma(int start, int end)
    {
        var i = start;
        while (i < end)
        {
            if (IsSymbol(i, '('))
                i = SkipParenthesized(i);
            else if (IsSymbol(i, ','))
                return i;
            else
                i++;
        }

        return end;
    }

    /// <summary>The first top-level token in [start, end) that is one of <paramref name="keywords"/>, or -1.</summary>
    public int FindTopLevel(int start, int end, params ReadOnlySpan<string> keywords)
    {
        var i = start;
        while (i < end)
        {
            if (IsSymbol(i, '('))
            {
                i = SkipParenthesized(i);
                continue;
            }

            if (IsAnyWord(i, keywords))
                return i;
            i++;
        }

        return -1;
    }

    /// <summary>Whether any token in [start, end), at any depth, is the word <paramref name="keyword"/>.</summary>
    public bool ContainsWord(int start, int end, string keyword)
    {
        for (var i = start; i < end; i++)
        {
            if (IsWord(i, keyword))
                return true;
        }

        return false;
    }

    /// <summary>The text of tokens [start, end) joined by single spaces, for messages.</summary>
    public string Join(int start, int end)
    {
        var text = new StringBuilder();
        for (var i = start; i < end && i < _tokens.Count; i++)
        {
            if (text.Length > 0)
                text.Append(' ');
            text.Append(Span(i));
        }

        return text.ToString();
    }
}
