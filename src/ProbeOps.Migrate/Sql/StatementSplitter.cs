using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>
/// The statement scanner every dialect shares: one pass over the lexer's tokens, cutting at each <c>;</c> outside
/// every string, quoted identifier, comment and body. A dialect brings its lexer rules, whether parentheses hold a
/// statement together, and the rule that says where a body (<c>BEGIN ... END</c>) opens.
/// </summary>
/// <remarks>
/// <see cref="SqlStatement.Text"/> runs from the first non-blank character (comments that precede the statement
/// belong to it) to the end of its last token. Comments between the last token and the <c>;</c> are left out, so
/// <c>Text + ";"</c> is always a complete statement, and a comment that follows a <c>;</c> on the same line belongs
/// to no statement. <see cref="SqlStatement.Line"/> is the file line of <c>Text</c>'s first character, so a server
/// error position inside <c>Text</c> maps to a file line by counting newlines. Statements holding only comments are
/// dropped. An unclosed string, quoted identifier or block comment runs to the end of the text and is kept as part
/// of the last statement, so it is never dropped silently. Inside a body, <c>CASE ... END</c> nests.
/// </remarks>
internal static class StatementSplitter
{
    public static SqlSplit Split<TBody>(string sql, SqlLexerRules rules, bool parenthesesHoldStatements, int firstLine)
        where TBody : struct, IStatementBodyRule
    {
        ArgumentNullException.ThrowIfNull(sql);
        var statements = new List<SqlStatement>();
        var lexer = new SqlLexer(sql, rules);
        var lines = new LineCounter(sql, firstLine);
        var body = default(TBody);

        var start = -1;
        var lastCodeEnd = -1;
        var codeTokens = 0;
        var parenDepth = 0;
        var bodyDepth = 0;
        // The end of the last top-level ';' (or of a comment on its line): a comment on that line belongs to no statement.
        var lastSemicolon = -1;

        var unclosedAt = -1;
        while (lexer.TryNext(out var token))
        {
            if (lexer.Unterminated is not null)
                unclosedAt = token.Start;

            // An unclosed block comment is kept as code, so the server sees it and does not skip the rest silently.
            if (token.Kind == SqlTokenKind.Comment && unclosedAt < 0)
            {
                if (start < 0)
                {
                    if (lastSemicolon < 0 || sql.AsSpan(lastSemicolon, token.Start - lastSemicolon).Contains('\n'))
                        start = token.Start;
                    else
                        lastSemicolon = token.End; // so no stretch is scanned twice
                }

                continue;
            }

            if (token.Kind == SqlTokenKind.Symbol && sql[token.Start] == ';' && parenDepth == 0 && bodyDepth == 0)
            {
                if (codeTokens > 0)
                    statements.Add(new SqlStatement(sql[start..lastCodeEnd], lines.LineAt(start)));

                lastSemicolon = token.Start;
                start = -1;
                codeTokens = 0;
                body = default;
                continue;
            }

            if (start < 0)
                start = token.Start;
            lastCodeEnd = token.End;
            var index = codeTokens++;

            if (parenthesesHoldStatements && token.Kind == SqlTokenKind.Symbol)
            {
                var c = sql[token.Start];
                if (c == '(')
                    parenDepth++;
                else if (c == ')' && parenDepth > 0)
                    parenDepth--;
            }

            var text = sql.AsSpan(token.Start, token.End - token.Start);
            if (bodyDepth == 0)
            {
                if (body.Opens(token.Kind, text, index, parenDepth))
                    bodyDepth = 1;
            }
            else if (token.Kind == SqlTokenKind.Word)
            {
                if (IsKeyword(text, "CASE"))
                    bodyDepth++;
                else if (IsKeyword(text, "END"))
                    bodyDepth--;
            }
        }

        if (codeTokens > 0)
            statements.Add(new SqlStatement(sql[start..lastCodeEnd], lines.LineAt(start)));
        return unclosedAt < 0
            ? new SqlSplit(statements, null, 0)
            : new SqlSplit(statements, lexer.Unterminated, lines.LineAt(unclosedAt));
    }

    public static bool IsKeyword(ReadOnlySpan<char> word, string keyword) =>
        word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Line numbers of increasing positions, counting each newline once.</summary>
    private struct LineCounter(string text, int firstLine)
    {
        private int _position;
        private int _line = firstLine;

        public int LineAt(int position)
        {
            _line += text.AsSpan(_position, position - _position).Count('\n');
            _position = position;
            return _line;
        }
    }
}

/// <summary>
/// Where a dialect's statement body opens. Sees every code token of a statement outside a body, in order;
/// a fresh (default) value starts each statement.
/// </summary>
internal interface IStatementBodyRule
{
    /// <summary>True when this token opens a body, inside which a <c>;</c> does not end the statement.</summary>
    /// <param name="index">The token's position among the statement's code tokens, from 0.</param>
    /// <param name="parenDepth">How deep in parentheses the token is (0 where the dialect does not track them).</param>
    bool Opens(SqlTokenKind kind, ReadOnlySpan<char> text, int index, int parenDepth);
}

/// <summary>Statements cut out of a section, and what was left open at its end (with the line it opened on), if anything.</summary>
/// <param name="Statements">The statements, in order; empty ones dropped.</param>
/// <param name="Unterminated">What ran to the end without being closed ("string", "block comment", ...), or null.</param>
/// <param name="UnterminatedLine">The line where <paramref name="Unterminated"/> opens; 0 when nothing is open.</param>
public sealed record SqlSplit(IReadOnlyList<SqlStatement> Statements, string? Unterminated, int UnterminatedLine);
