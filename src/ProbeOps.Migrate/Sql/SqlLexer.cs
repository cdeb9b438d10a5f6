namespace ProbeOps.Migrate.Sql;

internal enum SqlTokenKind
{
    /// <summary>An unquoted identifier or keyword.</summary>
    Word,

    /// <summary><c>"x"</c>, and where the dialect has them <c>[x]</c> and <c>`x`</c>.</summary>
    QuotedIdentifier,

    /// <summary>A string literal of any form, dollar-quoted bodies included.</summary>
    String,

    Number,

    /// <summary>A positional parameter such as <c>$1</c> (dialects with dollar quotes).</summary>
    Parameter,

    /// <summary>Any other single character: punctuation and operators.</summary>
    Symbol,

    Comment,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int End)
{
    public bool IsCode => Kind != SqlTokenKind.Comment;
}

/// <summary>The lexical features a dialect adds to the common core of strings, identifiers and comments.</summary>
/// <param name="NestedBlockComments"><c>/* /* */ */</c> is one comment (PostgreSQL).</param>
/// <param name="DollarQuotes"><c>$$...$$</c>, <c>$tag$...$tag$</c> and parameters such as <c>$1</c> (PostgreSQL).</param>
/// <param name="EscapeStrings"><c>E'...'</c> strings take backslash escapes (PostgreSQL).</param>
/// <param name="BracketAndBacktickIdentifiers"><c>[x]</c> and <c>`x`</c> are quoted identifiers (SQLite).</param>
internal readonly record struct SqlLexerRules(
    bool NestedBlockComments,
    bool DollarQuotes,
    bool EscapeStrings,
    bool BracketAndBacktickIdentifiers);

/// <summary>
/// A minimal SQL tokenizer: just enough to know where strings, quoted identifiers and comments start and
/// end, so that semicolons and keywords inside them are never mistaken for structure. Whitespace is
/// skipped; an unterminated string or comment runs to the end of the text. One pass, no backtracking.
/// </summary>
internal ref struct SqlLexer
{
    private readonly ReadOnlySpan<char> _text;
    private readonly SqlLexerRules _rules;
    private int _pos;
    private string? _unterminated;

    public SqlLexer(ReadOnlySpan<char> text, SqlLexerRules rules)
    {
        _text = text;
        _rules = rules;
        _pos = 0;
        _unterminated = null;
    }

    /// <summary>
    /// What the last token was when it ran to the end of the text without being closed (for example
    /// "string" or "block comment"), else null. A line comment ending the text is closed.
    /// </summary>
    public readonly string? Unterminated => _unterminated;

    public bool TryNext(out SqlToken token)
    {
        var t = _text;
        var i = _pos;
        while (i < t.Length && char.IsWhiteSpace(t[i]))
            i++;

        if (i >= t.Length)
        {
            _pos = i;
            token = default;
            return false;
        }

        var start = i;
        var c = t[i];
        _unterminated = null;
        SqlTokenKind kind;
        if (c == '-' && At(i + 1) == '-')
        {
            var newline = t[i..].IndexOf('\n');
            i = newline < 0 ? t.Length : i + newline;
            kind = SqlTokenKind.Comment;
        }
        else if (c == '/' && At(i + 1) == '*')
        {
            i = BlockCommentEnd(i);
            kind = SqlTokenKind.Comment;
        }
        else if (c == '\'')
        {
            i = QuotedEnd(i, '\'', backslashEscapes: false);
            kind = SqlTokenKind.String;
        }
        else if (c == '"')
        {
            i = QuotedEnd(i, '"', backslashEscapes: false);
            kind = SqlTokenKind.QuotedIdentifier;
        }
        else if (_rules.BracketAndBacktickIdentifiers && c == '`')
        {
            i = QuotedEnd(i, '`', backslashEscapes: false);
            kind = SqlTokenKind.QuotedIdentifier;
        }
        else if (_rules.BracketAndBacktickIdentifiers && c == '[')
        {
            // SQLite's [identifier] has no escape: it ends at the first ].
            var close = t[(i + 1)..].IndexOf(']');
            i = close < 0 ? t.Length : i + 1 + close + 1;
            kind = SqlTokenKind.QuotedIdentifier;
            if (close < 0)
                _unterminated = "quoted identifier";
        }
        else if (IsIdentifierStart(c))
        {
            i++;
            while (i < t.Length && IsIdentifierPart(t[i]))
                i++;
            if (_rules.EscapeStrings && i - start == 1 && (c == 'E' || c == 'e') && At(i) == '\'')
            {
                // E'...' takes backslash escapes, so E'it\'s' is one string.
                i = QuotedEnd(i, '\'', backslashEscapes: true);
                kind = SqlTokenKind.String;
            }
            else
            {
                // U&'...', N'...', B'...', X'...': the prefix is a word and the quote a plain string.
                kind = SqlTokenKind.Word;
            }
        }
        else if (char.IsAsciiDigit(c))
        {
            i++;
            while (i < t.Length && (IsIdentifierPart(t[i]) || t[i] == '.'))
                i++;
            kind = SqlTokenKind.Number;
        }
        else if (_rules.DollarQuotes && c == '$')
        {
            if (At(i + 1) == '$' && At(i + 2) == '{')
            {
                // `$${` is the placeholder escape (a literal `${`), never the opening of a dollar quote.
                i += 3;
                kind = SqlTokenKind.Symbol;
            }
            else if (char.IsAsciiDigit(At(i + 1)))
            {
                i++;
                while (i < t.Length && char.IsAsciiDigit(t[i]))
                    i++;
                kind = SqlTokenKind.Parameter;
            }
            else if (DollarTagEnd(i) is var tagEnd and > 0)
            {
                var tag = t[i..tagEnd];
                var close = t[tagEnd..].IndexOf(tag, StringComparison.Ordinal);
                i = close < 0 ? t.Length : tagEnd + close + tag.Length;
                kind = SqlTokenKind.String;
                if (close < 0)
                    _unterminated = "dollar-quoted string";
            }
            else
            {
                i++;
                kind = SqlTokenKind.Symbol;
            }
        }
        else
        {
            i++;
            kind = SqlTokenKind.Symbol;
        }

        _pos = i;
        token = new SqlToken(kind, start, i);
        return true;
    }

    /// <summary>Goes on scanning at <paramref name="position"/>, past text that is not SQL (the data of a <c>COPY</c>).</summary>
    public void SkipTo(int position)
    {
        _pos = Math.Max(_pos, Math.Min(position, _text.Length));
        _unterminated = null;
    }

    /// <summary>Like <see cref="TryNext"/> but skips comments.</summary>
    public bool TryNextCode(out SqlToken token)
    {
        while (TryNext(out token))
        {
            if (token.IsCode)
                return true;
        }

        return false;
    }

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    // PostgreSQL and SQLite both accept $ inside an unquoted identifier (foo$bar), which is also why a
    // $ right after an identifier never opens a dollar quote.
    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private readonly char At(int index) => index < _text.Length ? _text[index] : '\0';

    private int QuotedEnd(int open, char quote, bool backslashEscapes)
    {
        var t = _text;
        var j = open + 1;
        while (j < t.Length)
        {
            var ch = t[j];
            if (backslashEscapes && ch == '\\')
            {
                j += 2;
                continue;
            }

            if (ch == quote)
            {
                if (At(j + 1) == quote)
                {
                    j += 2;
                    continue;
                }

                return j + 1;
            }

            j++;
        }

        _unterminated = quote == '\'' ? "string" : "quoted identifier";
        return t.Length;
    }

    private int BlockCommentEnd(int open)
    {
        var t = _text;
        if (!_rules.NestedBlockComments)
        {
            var close = t[(open + 2)..].IndexOf("*/", StringComparison.Ordinal);
            if (close >= 0)
                return open + 2 + close + 2;
            _unterminated = "block comment";
            return t.Length;
        }

        // Block comments nest.
        var depth = 1;
        var j = open + 2;
        while (j < t.Length)
        {
            if (t[j] == '/' && At(j + 1) == '*')
            {
                depth++;
                j += 2;
            }
            else if (t[j] == '*' && At(j + 1) == '/')
            {
                j += 2;
                if (--depth == 0)
                    return j;
            }
            else
            {
                j++;
            }
        }

        _unterminated = "block comment";
        return t.Length;
    }

    /// <summary>The index just past the opening <c>$tag$</c> at <paramref name="dollar"/>, or 0 when there is none.</summary>
    private readonly int DollarTagEnd(int dollar)
    {
        var t = _text;
        var j = dollar + 1;
        if (j < t.Length && t[j] != '$')
        {
            if (!IsIdentifierStart(t[j]))
                return 0;
            j++;
            while (j < t.Length && (IsIdentifierStart(t[j]) || char.IsAsciiDigit(t[j])))
                j++;
        }

        return j < t.Length && t[j] == '$' ? j + 1 : 0;
    }
}
