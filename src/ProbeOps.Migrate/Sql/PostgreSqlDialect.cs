using System.Globalization;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>PostgreSQL's SQL text.</summary>
/// <remarks>
/// Statements end at a <c>;</c> outside <c>'...'</c> strings (<c>''</c> escapes), <c>E'...'</c> strings (backslash
/// escapes), <c>U&amp;'...'</c>, dollar quotes <c>$$...$$</c> and <c>$tag$...$tag$</c> (a positional parameter such
/// as <c>$1</c> is not one), <c>"..."</c> identifiers, <c>--</c> and nested <c>/* */</c> comments, parentheses (as
/// psql: a <c>;</c> inside parentheses, e.g. in a multi-action <c>CREATE RULE</c>, does not end the statement), and
/// SQL-standard bodies <c>BEGIN ATOMIC ... END</c> with <c>CASE ... END</c> inside.
/// </remarks>
public sealed class PostgreSqlDialect : ISqlDialect
{
    public static PostgreSqlDialect Instance { get; } = new();

    internal static readonly SqlLexerRules Lexer = new(
        NestedBlockComments: true, DollarQuotes: true, EscapeStrings: true, BracketAndBacktickIdentifiers: false);

    private PostgreSqlDialect()
    {
    }

    public string Name => "postgresql";

    public string? DefaultSchema => "public";

    public SqlColumnTypes Types { get; } = new(
        Text: "text",
        BigInt: "bigint",
        Timestamp: "timestamptz",
        IdentityKey: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        RowOrder: new RowOrder("id", "bigint GENERATED ALWAYS AS IDENTITY"));

    public string BeginTransaction => "BEGIN";

    public SqlSplit Split(string sql, int firstLine = 1) =>
        StatementSplitter.Split<BeginAtomicBody>(sql, Lexer, parenthesesHoldStatements: true, firstLine);

    public PlaceholderReplacement ReplacePlaceholders(string sql, Func<string, string?> valueOf) =>
        SqlPlaceholders.Replace(sql, Lexer, valueOf);

    public string? FindNonTransactionalCommand(SqlStatement statement) => PostgreSqlTransactionRules.Find(statement, Lexer);

    /// <summary>psql's meta-commands and variables; <c>COPY ... FROM STDIN</c> with its data is supported.</summary>
    public IReadOnlyList<SqlProblem> FindUnsupported(SqlStatement statement) => PsqlSyntax.Find(statement, Lexer);

    /// <summary>A double-quoted identifier, embedded quotes doubled: <c>my"table</c> becomes <c>"my""table"</c>.</summary>
    public string QuoteIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new MigrateException(FailureKind.Usage, "A PostgreSQL name cannot be empty.");
        }

        RejectNul(name, "a name");
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// A string literal, embedded quotes doubled. Text holding a backslash is written as an <c>E'...'</c> literal
    /// with the backslashes doubled, so it reads the same whatever the server's <c>standard_conforming_strings</c> says.
    /// </summary>
    public string QuoteLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RejectNul(value, "text");
        var quoted = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal)
            ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + quoted + "'";
    }

    /// <summary>A <c>timestamptz</c> literal in UTC with microseconds, the server's precision.</summary>
    public string TimestampLiteral(DateTimeOffset value) =>
        "'" + value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'";

    private static void RejectNul(string text, string what)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"PostgreSQL cannot store {what} containing a NUL character (\\0): remove it.");
        }
    }

    /// <summary><c>BEGIN ATOMIC</c>, outside parentheses, opens a SQL-standard function body.</summary>
    private struct BeginAtomicBody : IStatementBodyRule
    {
        private bool _previousWasBegin;

        public bool Opens(SqlTokenKind kind, ReadOnlySpan<char> text, int index, int parenDepth)
        {
            if (kind != SqlTokenKind.Word)
            {
                _previousWasBegin = false;
                return false;
            }

            var opens = _previousWasBegin && parenDepth == 0 && StatementSplitter.IsKeyword(text, "ATOMIC");
            _previousWasBegin = StatementSplitter.IsKeyword(text, "BEGIN");
            return opens;
        }
    }
}
