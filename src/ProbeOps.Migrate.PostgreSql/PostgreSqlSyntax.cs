using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>Shortcuts to <see cref="PostgreSqlDialect"/>'s quoting for the provider's catalog queries.</summary>
public static class PostgreSqlSyntax
{
    /// <summary>The schema names live in when none is configured.</summary>
    public const string DefaultSchema = "public";

    /// <summary>A double-quoted identifier, embedded quotes doubled: <c>my"table</c> becomes <c>"my""table"</c>.</summary>
    public static string QuoteIdentifier(string name) => PostgreSqlDialect.Instance.QuoteIdentifier(name);

    /// <summary>A string literal, embedded quotes doubled; with a backslash, an <c>E'...'</c> literal (see <see cref="PostgreSqlDialect.QuoteLiteral"/>).</summary>
    public static string QuoteLiteral(string value) => PostgreSqlDialect.Instance.QuoteLiteral(value);

    /// <summary><c>"schema"."name"</c>.</summary>
    public static string QualifiedName(string schema, string name) => QuoteIdentifier(schema) + "." + QuoteIdentifier(name);

    /// <summary>The schema of the history tables: on PostgreSQL there always is one.</summary>
    internal static string SchemaOf(HistorySql history) => history.Schema ?? DefaultSchema;
}
