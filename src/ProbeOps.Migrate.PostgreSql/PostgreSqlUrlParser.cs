using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads <c>postgres://user:password@host:port/database?param=value</c> as libpq does, into Npgsql settings.
/// Lenient where it is unambiguous: the user info ends at the last '@' before the query string, so an
/// unencoded '@', ':' or '/' in a password still reads right.
/// </summary>
internal static class PostgreSqlUrlParser
{
    private const string Expected = "Expected postgres://user:password@host:port/database?sslmode=require";

    public static MigrateException Malformed(string problem) =>
        new(FailureKind.Usage, $"The PostgreSQL URL is malformed: {problem}. {Expected}");

    /// <summary>Parses a URL given without its scheme (<c>user@host/db</c>).</summary>
    public static NpgsqlConnectionStringBuilder Parse(string rest)
    {
        if (UnencodedBeforeAnyPath(rest) is { } plainCause)
        {
            throw Malformed(plainCause);
        }

        try
        {
            var builder = ParseParts(rest);
            PostgreSqlHosts.Validate(builder.Host, Malformed);
            return builder;
        }
        catch (MigrateException) when (UnencodedInUserInfo(rest) is { } cause)
        {
            // What failed (a "port" that is half a password, say) is a symptom: name the cause.
            throw Malformed(cause);
        }
    }

    private static NpgsqlConnectionStringBuilder ParseParts(string rest)
    {
        if (rest.Contains('#', StringComparison.Ordinal))
        {
            throw Malformed("a '#' (URL fragment) is not allowed");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        string? query = null;
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            query = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
        }

        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            SetUserInfo(builder, rest[..at]);
            rest = rest[(at + 1)..];
        }

        string? database = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var path = rest[(slash + 1)..];
            database = path.Length > 0 ? PercentDecoding.Decode(path, "database name") : null;
            rest = rest[..slash];
        }

        PostgreSqlHosts.Set(builder, rest);
        if (database is not null)
        {
            builder.Database = database;
        }

        SetQuery(builder, query);
        return builder;
    }

    private static void SetUserInfo(NpgsqlConnectionStringBuilder builder, string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon >= 0 ? userInfo[..colon] : userInfo;
        if (user.Length > 0)
        {
            builder.Username = PercentDecoding.Decode(user, "user name");
        }

        if (colon >= 0)
        {
            builder.Password = PercentDecoding.Decode(userInfo[(colon + 1)..], "password");
        }
    }

    private static void SetQuery(NpgsqlConnectionStringBuilder builder, string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return;
        }

        var position = 0;
        foreach (var pair in query.Split('&'))
        {
            position++;
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed($"the {PostgreSqlKeys.Ordinal(position)} query parameter has no value: write name=value");
            }

            var name = PercentDecoding.Decode(pair[..equals], $"name of the {PostgreSqlKeys.Ordinal(position)} query parameter");
            var value = PercentDecoding.Decode(pair[(equals + 1)..], $"value of the {PostgreSqlKeys.Ordinal(position)} query parameter");
            SetQueryParameter(builder, name, value, position);
        }
    }

    private static void SetQueryParameter(NpgsqlConnectionStringBuilder builder, string name, string value, int position)
    {
        switch (name.ToLowerInvariant())
        {
            case "host":
                PostgreSqlHosts.Set(builder, value);
                return;
            case "port":
                builder.Port = PostgreSqlHosts.ParsePort(value);
                return;
            case "dbname":
                builder.Database = value;
                return;
            case "user":
                builder.Username = value;
                return;
            case "password":
                builder.Password = value;
                return;
            case "sslmode":
                builder.SslMode = SslModeOf(value);
                return;
            case "sslrootcert":
                builder.RootCertificate = value;
                return;
            case "sslcert":
                builder.SslCertificate = value;
                return;
            case "sslkey":
                builder.SslKey = value;
                return;
            case "sslpassword":
                builder.SslPassword = value;
                return;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? seconds
                    : throw Malformed("connect_timeout is not a whole number of seconds");
                return;
            case "application_name":
                builder.ApplicationName = value;
                return;
            case "options":
                builder.Options = value;
                return;
            case "target_session_attrs":
                PostgreSqlKeys.Set(builder, "Target Session Attributes", value, position, "query parameter", Malformed);
                return;
            case "gssencmode":
                PostgreSqlKeys.Set(builder, GssEncryptionKey, value, position, "query parameter", Malformed);
                return;
            case "channel_binding":
                PostgreSqlKeys.Set(builder, "Channel Binding", value, position, "query parameter", Malformed);
                return;
            default:
                // Anything else Npgsql knows (e.g. "Search Path", "Keepalive") passes through.
                PostgreSqlKeys.Set(builder, name, value, position, "query parameter", Malformed);
                return;
        }
    }

    /// <summary>Npgsql's name for libpq's <c>gssencmode</c>.</summary>
    internal const string GssEncryptionKey = "GSS Encryption Mode";

    private static SslMode SslModeOf(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw Malformed("sslmode is not one of disable, allow, prefer, require, verify-ca, verify-full"),
    };

    /// <summary>
    /// A '?' or '#' before any '/' and followed by an '@' can only be inside the user info: a query
    /// string comes after the host, and the host would otherwise be read from the middle of the password.
    /// </summary>
    private static string? UnencodedBeforeAnyPath(string rest)
    {
        var found = rest.IndexOfAny(['?', '#']);
        return found >= 0 && rest.IndexOf('/', 0, found) < 0 ? UnencodedInUserInfo(rest) : null;
    }

    /// <summary>
    /// The real cause when a URL fails to read because its user info holds a '?' or '#' that was not
    /// percent-encoded: an '@' then still follows it. Names the character, never the text around it.
    /// </summary>
    private static string? UnencodedInUserInfo(string rest)
    {
        var found = rest.IndexOfAny(['?', '#']);
        if (found < 0 || rest.IndexOf('@', found) < 0)
        {
            return null;
        }

        var part = rest.IndexOf(':', 0, found) >= 0 ? "password" : "user name";
        var code = rest[found] == '?' ? "%3F" : "%23";
        return $"the {part} in the URL must be percent-encoded; `{rest[found]}` is `{code}` (and `@` is `%40`, `/` is `%2F`)";
    }
}
