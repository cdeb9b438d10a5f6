using System.Globalization;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>SQLite's SQL text.</summary>
/// <remarks>
/// Statements end at a <c>;</c> outside <c>'...'</c> strings, <c>"..."</c>, <c>[...]</c> and <c>`...`</c>
/// identifiers, <c>--</c> and (non-nesting) <c>/* */</c> comments, and the <c>BEGIN ... END</c> body of
/// <c>CREATE [TEMP] TRIGGER</c>, with <c>CASE ... END</c> inside. <c>$</c> opens nothing. Only <c>VACUUM</c>
/// refuses a transaction. Timestamps are ISO-8601 UTC text of a fixed width
/// (<c>2025-05-14T09:30:00.0000000Z</c>), so they sort as text and read back exactly.
/// </remarks>
public sealed class SqliteDialect : ISqlDialect
{
    /// <summary>The format of every stored timestamp.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static SqliteDialect Instance { get; } = new();

    internal static readonly SqlLexerRules Lexer = new(
        NestedBlockComments: false, DollarQuotes: false, EscapeStrings: false, BracketAndBacktickIdentifiers: true);

    private SqliteDialect()
    {
    }

    public string Name => "sqlite";

    public string? DefaultSchema => null;

    public SqlColumnTypes Types { get; } = new(
        Text: "TEXT",
        BigInt: "INTEGER",
        Timestamp: "TEXT",
        IdentityKey: "INTEGER PRIMARY KEY AUTOINCREMENT",
        RowOrder: new RowOrder("rowid", ColumnType: null));

    /// <summary>IMMEDIATE takes the write lock at once rather than failing on a later lock upgrade.</summary>
    public string BeginTransaction => "BEGIN IMMEDIATE";

    public SqlSplit Split(string sql, int firstLine = 1) =>
        StatementSplitter.Split<TriggerBody>(sql, Lexer, parenthesesHoldStatements: false, firstLine);

    public PlaceholderReplacement ReplacePlaceholders(string sql, Func<string, string?> valueOf) =>
        SqlPlaceholders.Replace(sql, Lexer, valueOf);

    public string? FindNonTransactionalCommand(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var tokens = new SqlTokens(statement.Text, Lexer);
        return tokens.IsWord(tokens.Next(), "VACUUM") ? "VACUUM" : null;
    }

    /// <summary>psql's meta-commands and variables, and <c>COPY ... FROM STDIN</c>: SQLite has no <c>COPY</c>.</summary>
    public IReadOnlyList<SqlProblem> FindUnsupported(SqlStatement statement)
    {
        var problems = PsqlSyntax.Find(statement, Lexer);
        return statement.Copy is null
            ? problems
            : [.. problems, new SqlProblem(DiagnosticCodes.CopyNotSupported,
                "COPY ... FROM STDIN is PostgreSQL's; SQLite has no COPY: write the rows as INSERT statements", statement.Line)];
    }

    /// <summary>A double-quoted identifier: <c>a"b</c> becomes <c>"a""b"</c>.</summary>
    public string QuoteIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A string literal: <c>it's</c> becomes <c>'it''s'</c>.</summary>
    public string QuoteLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    public string TimestampLiteral(DateTimeOffset value) => "'" + FormatTimestamp(value) + "'";

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stored timestamp; tolerates other ISO-8601 forms written by hand.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    /// <summary><c>CREATE [TEMP | TEMPORARY] TRIGGER ... BEGIN</c> opens the trigger's body.</summary>
    private struct TriggerBody : IStatementBodyRule
    {
        private bool _createSeen;
        private bool _triggerExpected;
        private bool _isTrigger;

        public bool Opens(SqlTokenKind kind, ReadOnlySpan<char> text, int index, int parenDepth)
        {
            if (kind != SqlTokenKind.Word)
                return false;

            if (index == 0)
            {
                _createSeen = StatementSplitter.IsKeyword(text, "CREATE");
            }
            else if (_createSeen && (index == 1 || (index == 2 && _triggerExpected)))
            {
                _isTrigger = StatementSplitter.IsKeyword(text, "TRIGGER");
                _triggerExpected = index == 1 && (StatementSplitter.IsKeyword(text, "TEMP") || StatementSplitter.IsKeyword(text, "TEMPORARY"));
            }
            else if (_isTrigger && StatementSplitter.IsKeyword(text, "BEGIN"))
            {
                return true;
            }

            return false;
        }
    }
}
