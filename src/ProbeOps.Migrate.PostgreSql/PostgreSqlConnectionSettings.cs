using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads the database setting in the forms users paste: <c>postgres://</c> and <c>postgresql://</c>
/// URLs (as libpq reads them) and Npgsql keyword strings (<c>Host=...;Database=...</c>). libpq's
/// space-separated <c>host=... dbname=...</c> form is refused with a hint.
/// The result always has pooling and multiplexing off: a migration run owns one plain connection.
/// </summary>
/// <remarks>
/// Nothing of the raw setting is ever shown: the target's display string is built from the parsed
/// parts (<see cref="PostgreSqlDisplay"/>), and an error names the part that is wrong, never a value.
/// </remarks>
public static class PostgreSqlConnectionSettings
{
    /// <summary>What stands for a password wherever a connection is shown.</summary>
    public const string Mask = "***";

    private static readonly string[] UrlSchemes = ["postgresql://", "postgres://"];

    /// <summary>The setting as a target when it is a PostgreSQL one; null when it is not. Throws <see cref="MigrateException"/> (Usage) when malformed.</summary>
    public static DatabaseTarget? TryParse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var trimmed = setting.Trim();
        foreach (var scheme in UrlSchemes)
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return Finish(PostgreSqlUrlParser.Parse(trimmed[scheme.Length..]), PostgreSqlUrlParser.Malformed);
            }
        }

        if (PostgreSqlKeywordParser.LooksLikeLibpqString(trimmed))
        {
            throw new MigrateException(FailureKind.Usage, PostgreSqlKeywordParser.LibpqRefusal);
        }

        return PostgreSqlKeywordParser.LooksLikeKeywordString(trimmed)
            ? Finish(PostgreSqlKeywordParser.Parse(trimmed), PostgreSqlKeywordParser.Malformed)
            : null;
    }

    /// <summary>Like <see cref="TryParse"/>, but a setting of another kind is a usage error too.</summary>
    public static DatabaseTarget Parse(string setting) =>
        TryParse(setting) ?? throw new MigrateException(
            FailureKind.Usage,
            "This is not a PostgreSQL setting: use postgres://user@host:5432/db or Host=...;Database=...");

    private static DatabaseTarget Finish(NpgsqlConnectionStringBuilder builder, Func<string, MigrateException> malformed)
    {
        PostgreSqlHosts.Validate(builder.Host, malformed);
        builder.Pooling = false;
        builder.Multiplexing = false;
        var database = builder.Database ?? builder.Username ?? Environment.UserName;
        return new DatabaseTarget(PostgreSqlProvider.ProviderName, builder.ConnectionString, PostgreSqlDisplay.Of(builder), database)
        {
            PasswordMasked = !string.IsNullOrEmpty(builder.Password),
        };
    }
}
