namespace ProbeOps.Migrate.Files;

/// <summary>
/// Cuts a section into statements, one per command sent to the server. A hand-written scanner, one pass.
/// </summary>
/// <remarks>
/// <para>A statement ends at a <c>;</c> that is outside every string, quoted identifier, comment and body:</para>
/// <list type="bullet">
/// <item>Both dialects: <c>'...'</c> strings with <c>''</c> escapes, <c>"..."</c> identifiers with <c>""</c>
/// escapes, <c>--</c> line comments and <c>/* */</c> block comments.</item>
/// <item>PostgreSQL: <c>E'...'</c> strings with backslash escapes, <c>U&amp;'...'</c>, dollar quotes
/// <c>$$...$$</c> and <c>$tag$...$tag$</c> (a positional parameter such as <c>$1</c> is not one), nested block
/// comments, parentheses (as psql: a <c>;</c> inside parentheses, e.g. in a multi-action <c>CREATE RULE</c>, does
/// not end the statement), and SQL-standard bodies <c>BEGIN ATOMIC ... END</c> with <c>CASE ... END</c>
/// inside.</item>
/// <item>SQLite: <c>[...]</c> and <c>`...`</c> identifiers, and the <c>BEGIN ... END</c> body of
/// <c>CREATE [TEMP] TRIGGER</c>, with <c>CASE ... END</c> inside.</item>
/// </list>
/// <para>
/// <see cref="SqlStatement.Text"/> runs from the first non-blank character (comments that precede the statement
/// belong to it) to the end of its last token. Comments between the last token and the <c>;</c> are left out, so
/// <c>Text + ";"</c> is always a complete statement, and a comment that follows a <c>;</c> on the same line
/// belongs to no statement. <see cref="SqlStatement.Line"/> is the file line of <c>Text</c>'s first character,
/// so a server error position inside <c>Text</c> maps to a file line by counting newlines. Statements holding
/// only comments are dropped. An unclosed string, quoted identifier or block comment runs to the end of the
/// section and is kept as part of the last statement, so it is never dropped silently.
/// </para>
/// </remarks>
public static class SqlStatementSplitter
{
    /// <summary>
    /// Splits <paramref name="sql"/> into statements. <paramref name="firstLine"/> is the file line of the
    /// first character, so each statement knows its own line. Empty statements are dropped.
    /// </summary>
    public static IReadOnlyList<SqlStatement> Split(string sql, SqlDialect dialect, int firstLine = 1) =>
        SplitChecked(sql, dialect, firstLine).Statements;

    /// <summary>Like <see cref="Split"/>, and also says where a string, quoted identifier or block comment is left open.</summary>
    internal static SplitResult SplitChecked(string sql, SqlDialect dialect, int firstLine = 1)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var statements = new List<SqlStatement>();
        var postgres = dialect == SqlDialect.PostgreSql;
        var lexer = new SqlLexer(sql, dialect);
        var lines = new LineCounter(sql, firstLine);

        var start = -1;
        var lastCodeEnd = -1;
        var codeTokens = 0;
        var parenDepth = 0;
        var bodyDepth = 0;
        var previousWasBegin = false;
        var createSeen = false;
        var triggerExpected = false;
        var isTrigger = false;
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
                previousWasBegin = createSeen = triggerExpected = isTrigger = false;
                continue;
            }

            if (start < 0)
                start = token.Start;
            lastCodeEnd = token.End;
            var index = codeTokens++;

            if (token.Kind == SqlTokenKind.Symbol && postgres)
            {
                var c = sql[token.Start];
                if (c == '(')
                    parenDepth++;
                else if (c == ')' && parenDepth > 0)
                    parenDepth--;
            }

            if (token.Kind != SqlTokenKind.Word)
            {
                previousWasBegin = false;
                continue;
            }

            var word = sql.AsSpan(token.Start, token.End - token.Start);
            if (bodyDepth > 0)
            {
                if (Is(word, "CASE"))
                    bodyDepth++;
                else if (Is(word, "END"))
                    bodyDepth--;
            }
            else if (postgres)
            {
                if (previousWasBegin && parenDepth == 0 && Is(word, "ATOMIC"))
                    bodyDepth = 1;
                previousWasBegin = Is(word, "BEGIN");
            }
            else
            {
                // CREATE [TEMP | TEMPORARY] TRIGGER ... BEGIN ... END
                if (index == 0)
                {
                    createSeen = Is(word, "CREATE");
                }
                else if (createSeen && (index == 1 || (index == 2 && triggerExpected)))
                {
                    isTrigger = Is(word, "TRIGGER");
                    triggerExpected = index == 1 && (Is(word, "TEMP") || Is(word, "TEMPORARY"));
                }
                else if (isTrigger && Is(word, "BEGIN"))
                {
                    bodyDepth = 1;
                }
            }
        }

        if (codeTokens > 0)
            statements.Add(new SqlStatement(sql[start..lastCodeEnd], lines.LineAt(start)));
        return unclosedAt < 0
            ? new SplitResult(statements, null, 0)
            : new SplitResult(statements, lexer.Unterminated, lines.LineAt(unclosedAt));
    }

    /// <summary>The statements, and what was left open at the end (with the line it opened on), if anything.</summary>
    internal sealed record SplitResult(IReadOnlyList<SqlStatement> Statements, string? Unterminated, int UnterminatedLine);

    private static bool Is(ReadOnlySpan<char> word, string keyword) =>
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
