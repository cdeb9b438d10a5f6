using System.Globalization;
using System.Text;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>The one place where names and values become PostgreSQL text.</summary>
public static class PostgreSqlSyntax
{
    /// <summary>A double-quoted identifier, embedded quotes doubled: <c>my"table</c> becomes <c>"my""table"</c>.</summary>
    public static string QuoteIdentifier(string name)
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
    /// A string literal, embedded quotes doubled. Text holding a backslash is written as an
    /// <c>E'...'</c> literal with the backslashes doubled, so it reads the same whatever the
    /// server's <c>standard_conforming_strings</c> says.
    /// </summary>
    public static string QuoteLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RejectNul(value, "text");
        var quoted = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal)
            ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + quoted + "'";
    }

    /// <summary><c>NULL</c> or a quoted literal.</summary>
    public static string QuoteNullableLiteral(string? value) => value is null ? "NULL" : QuoteLiteral(value);

    /// <summary>A <c>timestamptz</c> literal in UTC with microseconds, the server's precision.</summary>
    public static string TimestampLiteral(DateTimeOffset value) =>
        "'" + value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'";

    /// <summary><c>"schema"."name"</c>.</summary>
    public static string QualifiedName(string schema, string name) => QuoteIdentifier(schema) + "." + QuoteIdentifier(name);

    /// <summary>A comma-separated list of quoted literals.</summary>
    internal static string LiteralList(IEnumerable<string> values)
    {
        var builder = new StringBuilder();
        foreach (var value in values)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(QuoteLiteral(value));
        }

        return builder.ToString();
    }

    private static void RejectNul(string text, string what)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"PostgreSQL cannot store {what} containing a NUL character (\\0): remove it.");
        }
    }
}
