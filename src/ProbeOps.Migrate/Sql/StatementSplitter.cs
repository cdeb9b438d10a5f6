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
/// to no statement. <see cref="SqlStatement.Line"/> and <see cref="SqlStatement.Column"/> place <c>Text</c>'s first character, so a server
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
        var scan = new Scan<TBody>(sql, parenthesesHoldStatements, firstLine);
        var lexer = new SqlLexer(sql, rules);
        var unclosedAt = -1;
        while (lexer.TryNext(out var token))
        {
            if (lexer.Unterminated is not null)
                unclosedAt = token.Start;

            // An unclosed block comment is kept as code, so the server sees it and does not skip the rest silently.
            if (token.Kind == SqlTokenKind.Comment && unclosedAt < 0)
            {
                scan.Comment(token);
            }
            else if (token.Kind == SqlTokenKind.Symbol && sql[token.Start] == ';' && scan.AtTopLevel)
            {
                // A COPY ... FROM STDIN is followed by its data, which is not SQL: skip past it.
                if (scan.EndStatement(token))
                {
                    if (!scan.TakeCopyData(token.End, out var resume))
                        return new SqlSplit(scan.Statements, UnclosedCopy, scan.Statements[^1].Line);
                    lexer.SkipTo(resume);
                }
            }
            else
            {
                scan.Code(token);
            }
        }

        if (scan.EndStatement(null))
            return new SqlSplit(scan.Statements, UnclosedCopy, scan.Statements[^1].Line);
        return unclosedAt < 0
            ? new SqlSplit(scan.Statements, null, 0)
            : new SqlSplit(scan.Statements, lexer.Unterminated, scan.LineAt(unclosedAt));
    }

    /// <summary>What a <c>COPY ... FROM STDIN</c> without its closing <c>\.</c> line is called in the "never closed" finding.</summary>
    internal const string UnclosedCopy = "COPY ... FROM STDIN data block (its data lines must end with a line `\\.`)";

    /// <summary>
    /// The data block after the <c>;</c> of a <c>COPY ... FROM STDIN</c>, as psql reads it: every line after the
    /// statement's own, up to a line that is <c>\.</c>. Null when no such line closes it.
    /// </summary>
    private static (int Start, int End, int Resume)? FindCopyData(string sql, int afterSemicolon)
    {
        var newline = sql.IndexOf('\n', afterSemicolon);
        if (newline < 0)
            return null;
        var start = newline + 1;
        for (var line = start; line <= sql.Length;)
        {
            var end = sql.IndexOf('\n', line);
            if (end < 0)
                end = sql.Length;
            if (sql.AsSpan(line, end - line).TrimEnd().SequenceEqual("\\."))
                return (start, line, end);
            line = end + 1;
        }

        return null;
    }

    public static bool IsKeyword(ReadOnlySpan<char> word, string keyword) =>
        word.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>The statement being scanned and the statements cut so far.</summary>
    private struct Scan<TBody>(string sql, bool parenthesesHoldStatements, int firstLine)
        where TBody : struct, IStatementBodyRule
    {
        private LineCounter _lines = new(sql, firstLine);
        private TBody _body;
        private int _start = -1;
        private int _lastCodeEnd = -1;
        private int _codeTokens;
        private int _parenDepth;
        private int _bodyDepth;

        // The end of the last top-level ';' (or of a comment on its line): a comment on that line belongs to no statement.
        private int _lastSemicolon = -1;

        public List<SqlStatement> Statements { get; } = [];

        // Where the statement's COPY keyword starts, and how much of "COPY ... FROM STDIN" it has shown.
        private int _copyStart;
        private CopyState _copy;

        public readonly bool AtTopLevel => _parenDepth == 0 && _bodyDepth == 0;

        public int LineAt(int position) => _lines.LineAt(position);

        // The text starts at the beginning of a file line, so a column in it is a column in the file.
        private readonly int ColumnAt(int position) => position - sql.LastIndexOf('\n', position);

        public void Comment(SqlToken token)
        {
            if (_start >= 0)
                return;
            if (_lastSemicolon < 0 || sql.AsSpan(_lastSemicolon, token.Start - _lastSemicolon).Contains('\n'))
                _start = token.Start;
            else
                _lastSemicolon = token.End; // so no stretch is scanned twice
        }

        /// <summary>Ends the statement at a top-level <c>;</c>, or at the end of the text (<paramref name="semicolon"/> null).</summary>
        /// <returns>True when the statement ended is a <c>COPY ... FROM STDIN</c>, whose data follows it.</returns>
        public bool EndStatement(SqlToken? semicolon)
        {
            var copy = _codeTokens > 0 && _copy == CopyState.FromStdin;
            if (_codeTokens > 0)
                Statements.Add(new SqlStatement(sql[_start.._lastCodeEnd], _lines.LineAt(_start), ColumnAt(_start)));
            if (semicolon is not { } token)
                return copy;

            _lastSemicolon = token.Start;
            _start = -1;
            _codeTokens = 0;
            _body = default;
            _copy = CopyState.None;
            return copy;
        }

        /// <summary>
        /// Gives the last statement, a <c>COPY ... FROM STDIN</c>, the data lines that follow it; false when no
        /// <c>\.</c> line closes them. <paramref name="resume"/> is where scanning goes on.
        /// </summary>
        public bool TakeCopyData(int afterSemicolon, out int resume)
        {
            resume = sql.Length;
            if (FindCopyData(sql, afterSemicolon) is not var (start, end, next))
                return false;

            var statement = Statements[^1];
            var command = sql[_copyStart.._lastCodeEnd];
            Statements[^1] = statement with { Copy = new CopyData(command, sql[start..end], _lines.LineAt(start)) };
            _lastSemicolon = next;
            resume = next;
            return true;
        }

        public void Code(SqlToken token)
        {
            if (_start < 0)
                _start = token.Start;
            _lastCodeEnd = token.End;
            var index = _codeTokens++;

            if (parenthesesHoldStatements && token.Kind == SqlTokenKind.Symbol)
            {
                var c = sql[token.Start];
                if (c == '(')
                    _parenDepth++;
                else if (c == ')' && _parenDepth > 0)
                    _parenDepth--;
            }

            var text = sql.AsSpan(token.Start, token.End - token.Start);
            TrackCopy(token, text, index);
            if (_bodyDepth == 0)
            {
                if (_body.Opens(token.Kind, text, index, _parenDepth))
                    _bodyDepth = 1;
            }
            else if (token.Kind == SqlTokenKind.Word)
            {
                if (IsKeyword(text, "CASE"))
                    _bodyDepth++;
                else if (IsKeyword(text, "END"))
                    _bodyDepth--;
            }
        }

        /// <summary>Follows <c>COPY</c> as the first word, then <c>FROM STDIN</c> outside parentheses.</summary>
        private void TrackCopy(SqlToken token, ReadOnlySpan<char> text, int index)
        {
            var word = token.Kind == SqlTokenKind.Word;
            if (index == 0)
            {
                _copy = word && IsKeyword(text, "COPY") ? CopyState.Copy : CopyState.None;
                _copyStart = token.Start;
            }
            else if ((_copy is CopyState.Copy or CopyState.From) && _parenDepth == 0)
            {
                _copy = !word ? CopyState.Copy
                    : IsKeyword(text, "FROM") ? CopyState.From
                    : _copy == CopyState.From && IsKeyword(text, "STDIN") ? CopyState.FromStdin
                    : CopyState.Copy;
            }
        }
    }

    /// <summary>How far a statement has shown itself to be <c>COPY ... FROM STDIN</c>.</summary>
    private enum CopyState
    {
        None,
        Copy,
        From,
        FromStdin,
    }

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
