using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Sql;

/// <summary>
/// What the tool needs to know about one engine's SQL text: how it is cut into statements, which statements
/// cannot run in a transaction, how names and values are written, and the column types of the tool's own
/// tables. Pure: no connection is needed, so files are checked with a database's rules before any is opened.
/// </summary>
public interface ISqlDialect
{
    /// <summary>A short lower-case name, the provider's: <c>postgresql</c>, <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Cuts <paramref name="sql"/> into statements. <paramref name="firstLine"/> is the file line of its first
    /// character, so each statement knows its own line.
    /// </summary>
    SqlSplit Split(string sql, int firstLine = 1);

    /// <summary>
    /// Replaces the <c>${name}</c> placeholders of <paramref name="sql"/> with <paramref name="valueOf"/>'s values,
    /// outside comments and dollar quotes as this dialect reads them; <c>$${</c> becomes <c>${</c>.
    /// </summary>
    PlaceholderReplacement ReplacePlaceholders(string sql, Func<string, string?> valueOf);

    /// <summary>
    /// A short name for what makes <paramref name="statement"/> refuse a transaction block (for example
    /// <c>CREATE INDEX CONCURRENTLY</c>), or null when it may run in one.
    /// </summary>
    string? FindNonTransactionalCommand(SqlStatement statement);

    /// <summary>
    /// What <paramref name="statement"/> holds that cannot be sent to this engine: psql meta-commands and variables
    /// (which no engine understands), and inline <c>COPY</c> data where the engine has no <c>COPY</c>.
    /// </summary>
    IReadOnlyList<SqlProblem> FindUnsupported(SqlStatement statement);

    /// <summary>A quoted identifier that names exactly <paramref name="name"/>.</summary>
    string QuoteIdentifier(string name);

    /// <summary>A string literal holding exactly <paramref name="value"/>.</summary>
    string QuoteLiteral(string value);

    /// <summary>A literal for a point in time, as the tool's tables store it.</summary>
    string TimestampLiteral(DateTimeOffset value);

    /// <summary>The schema names are qualified with by default, or null where the engine has no schemas.</summary>
    string? DefaultSchema { get; }

    /// <summary>The column types of the tool's own tables.</summary>
    SqlColumnTypes Types { get; }

    /// <summary>The statement that opens a transaction for a migration run.</summary>
    string BeginTransaction { get; }
}

/// <summary>The column types the history and audit tables are declared with.</summary>
/// <param name="Text">Unbounded text.</param>
/// <param name="BigInt">A 64-bit integer.</param>
/// <param name="Timestamp">A point in time (what <see cref="ISqlDialect.TimestampLiteral"/> writes).</param>
/// <param name="IdentityKey">A primary key numbered by the database in insertion order.</param>
/// <param name="RowOrder">How a table keeps the order its rows were inserted in.</param>
public sealed record SqlColumnTypes(string Text, string BigInt, string Timestamp, string IdentityKey, RowOrder RowOrder);

/// <summary>
/// How rows keep their insertion order: <paramref name="Key"/> is the expression to sort by, and
/// <paramref name="ColumnType"/> the type of the column to add for it, or null when the engine numbers every
/// row itself (SQLite's <c>rowid</c>).
/// </summary>
public sealed record RowOrder(string Key, string? ColumnType);
