using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads the database setting in the forms users paste: <c>postgres://</c> and <c>postgresql://</c>
/// URLs (as libpq reads them) and Npgsql keyword strings (<c>Host=...;Database=...</c>).
/// The result always has pooling and multiplexing off: a migration run owns one plain connection.
/// </summary>
public static class PostgreSqlConnectionSettings
{
    public const string Mask = "***";

    private static readonly string[] UrlSchemes = ["postgresql://", "postgres://"];

    /// <summary>Keys whose values are secrets, in keyword strings and URL query strings.</summary>
    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "pwd", "sslpassword", "ssl password",
    };

    /// <summary>The setting as a target when it is a PostgreSQL one; null when it is not. Throws <see cref="MigrateException"/> (Usage) when malformed.</summary>
    public static DatabaseTarget? TryParse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var trimmed = setting.Trim();
        foreach (var scheme in UrlSchemes)
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return ParseUrl(trimmed, scheme.Length);
            }
        }

        return LooksLikeKeywordString(trimmed) ? ParseKeywords(trimmed) : null;
    }

    /// <summary>Like <see cref="TryParse"/>, but a setting of another kind is a usage error too.</summary>
    public static DatabaseTarget Parse(string setting) =>
        TryParse(setting) ?? throw new MigrateException(
            FailureKind.Usage,
            "This is not a PostgreSQL setting: use postgres://user@host:5432/db or Host=...;Database=...");

    /// <summary>The setting with every password replaced by <c>***</c>, in the form it was written.</summary>
    public static string MaskSecrets(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var trimmed = setting.Trim();
        foreach (var scheme in UrlSchemes)
        {
            if (trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return MaskUrl(trimmed, scheme.Length);
            }
        }

        return MaskKeywords(trimmed);
    }

    private static DatabaseTarget ParseUrl(string url, int schemeLength)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var rest = url[schemeLength..];

        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            throw Malformed("a '#' is not allowed (percent-encode it as %23 inside a password)");
        }

        string? query = null;
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            query = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
        }

        // The last '@' ends the user part, so an unencoded '@', ':' or '/' in a password still reads right.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon >= 0 ? userInfo[..colon] : userInfo;
            if (user.Length > 0)
            {
                builder.Username = Decode(user, "user name");
            }

            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        string? database = null;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var path = rest[(slash + 1)..];
            if (path.Length > 0)
            {
                database = Decode(path, "database name");
            }

            rest = rest[..slash];
        }

        SetHosts(builder, rest);
        if (database is not null)
        {
            builder.Database = database;
        }

        if (!string.IsNullOrEmpty(query))
        {
            foreach (var pair in query.Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw Malformed("every query parameter needs a value (name=value)");
                }

                var name = Decode(pair[..equals], "query parameter name");
                var value = Decode(pair[(equals + 1)..], $"value of {name}");
                SetQueryParameter(builder, name, value);
            }
        }

        return Finish(builder, MaskUrl(url, schemeLength));
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostList)
    {
        if (hostList.Length == 0)
        {
            // libpq would use its socket here; over TCP the local server is the closest match.
            builder.Host = "localhost";
            return;
        }

        var hosts = new List<(string Host, int? Port)>();
        foreach (var item in hostList.Split(','))
        {
            string host;
            string? port = null;
            if (item.StartsWith('['))
            {
                var close = item.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw Malformed("an IPv6 address lacks its closing ']'");
                }

                host = item[1..close];
                var after = item[(close + 1)..];
                if (after.Length > 0)
                {
                    if (after[0] != ':')
                    {
                        throw Malformed("unexpected text after an IPv6 address");
                    }

                    port = after[1..];
                }
            }
            else
            {
                var colon = item.LastIndexOf(':');
                host = colon >= 0 ? item[..colon] : item;
                port = colon >= 0 ? item[(colon + 1)..] : null;
            }

            host = Decode(host, "host");
            if (host.Length == 0)
            {
                host = "localhost";
            }

            hosts.Add((host, port is null || port.Length == 0 ? null : ParsePort(port)));
        }

        if (hosts.Count == 1)
        {
            builder.Host = hosts[0].Host;
            if (hosts[0].Port is { } port)
            {
                builder.Port = port;
            }

            return;
        }

        // Npgsql takes several hosts as "host:port,host:port".
        builder.Host = string.Join(
            ',',
            hosts.Select(h =>
            {
                var host = h.Host.Contains(':', StringComparison.Ordinal) ? "[" + h.Host + "]" : h.Host;
                return h.Port is { } p ? host + ":" + p.ToString(CultureInfo.InvariantCulture) : host;
            }));
    }

    private static int ParsePort(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return port;
        }

        throw Malformed("the port is not a number between 1 and 65535");
    }

    private static void SetQueryParameter(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case "host":
                SetHosts(builder, value);
                return;
            case "port":
                builder.Port = ParsePort(value);
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
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw Malformed($"sslmode \"{value}\" is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
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
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    throw Malformed($"connect_timeout \"{value}\" is not a whole number of seconds");
                }

                builder.Timeout = seconds;
                return;
            case "application_name":
                builder.ApplicationName = value;
                return;
            case "options":
                builder.Options = value;
                return;
            case "target_session_attrs":
                SetKeyword(builder, "Target Session Attributes", value, name);
                return;
            case "channel_binding":
                SetKeyword(builder, "Channel Binding", value, name);
                return;
            default:
                // Anything else Npgsql knows (e.g. "Search Path", "Keepalive") passes through.
                SetKeyword(builder, name, value, name);
                return;
        }
    }

    private static void SetKeyword(NpgsqlConnectionStringBuilder builder, string keyword, string value, string shownName)
    {
        try
        {
            builder[keyword] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            throw SecretKeys.Contains(shownName)
                ? Malformed($"the value of {shownName} is not valid")
                : Malformed($"the parameter {shownName}={value} is not a known PostgreSQL connection setting or has an invalid value");
        }
    }

    private static bool LooksLikeKeywordString(string setting)
    {
        if (!setting.Contains('=', StringComparison.Ordinal) || setting.Contains("://", StringComparison.Ordinal) ||
            setting.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = setting;
        }
        catch (ArgumentException)
        {
            // Unparseable: ours only if it plainly names a PostgreSQL host.
            return setting.Contains("host=", StringComparison.OrdinalIgnoreCase) ||
                   setting.Contains("server=", StringComparison.OrdinalIgnoreCase);
        }

        return generic.ContainsKey("host") || generic.ContainsKey("server");
    }

    private static DatabaseTarget ParseKeywords(string setting)
    {
        var display = MaskKeywords(setting);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(setting);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"The PostgreSQL connection string {display} is malformed: write Key=Value pairs separated by ';' (quote values that hold ';'), with keys Npgsql knows.");
        }

        return Finish(builder, display);
    }

    private static DatabaseTarget Finish(NpgsqlConnectionStringBuilder builder, string display)
    {
        builder.Pooling = false;
        builder.Multiplexing = false;
        var database = builder.Database ?? builder.Username ?? Environment.UserName;
        return new DatabaseTarget(PostgreSqlProvider.ProviderName, builder.ConnectionString, display, database);
    }

    private static string Decode(string text, string what)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        // Decode by bytes so multi-byte UTF-8 sequences come out whole.
        var bytes = new List<byte>(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '%')
            {
                var next = text.IndexOf('%', i);
                var end = next < 0 ? text.Length : next;
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i..end]));
                i = end;
                continue;
            }

            if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
            {
                throw Malformed(
                    what == "password"
                        ? "the password has a '%' not followed by two hex digits (write a literal '%' as %25)"
                        : $"the {what} has a '%' not followed by two hex digits (write a literal '%' as %25)");
            }

            bytes.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i += 3;
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static MigrateException Malformed(string problem) =>
        new(FailureKind.Usage, $"The PostgreSQL URL is malformed: {problem}. Expected postgres://user:password@host:port/database?sslmode=require");

    private static string MaskUrl(string url, int schemeLength)
    {
        var builder = new StringBuilder(url.Length);
        // Same reading as ParseUrl: user info ends at the last '@' before the query string.
        var firstQuestion = url.IndexOf('?', schemeLength);
        var searchEnd = firstQuestion < 0 ? url.Length : firstQuestion;
        var at = url.LastIndexOf('@', searchEnd - 1, searchEnd - schemeLength);
        var hostStart = at >= 0 ? at + 1 : schemeLength;
        var authorityEnd = url.IndexOfAny(['/', '?'], hostStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var colon = at >= 0 ? url.IndexOf(':', schemeLength, at - schemeLength) : -1;
        if (colon >= 0 && at > colon + 1)
        {
            builder.Append(url, 0, colon + 1).Append(Mask).Append(url, at, authorityEnd - at);
        }
        else
        {
            builder.Append(url, 0, authorityEnd);
        }

        var queryStart = url.IndexOf('?', authorityEnd);
        if (queryStart < 0)
        {
            return builder.Append(url, authorityEnd, url.Length - authorityEnd).ToString();
        }

        builder.Append(url, authorityEnd, queryStart + 1 - authorityEnd);
        var pairs = url[(queryStart + 1)..].Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            var pair = pairs[i];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && SecretKeys.Contains(Uri.UnescapeDataString(pair[..equals])))
            {
                builder.Append(pair, 0, equals + 1).Append(Mask);
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Walks <c>key=value;...</c> as ADO.NET reads it (values may be quoted with ' or ", quotes
    /// doubled inside) and replaces secret values, leaving every other character as written.
    /// </summary>
    private static string MaskKeywords(string setting)
    {
        var result = new StringBuilder(setting.Length);
        var i = 0;
        while (i < setting.Length)
        {
            var equals = setting.IndexOf('=', i);
            var semicolon = setting.IndexOf(';', i);
            if (equals < 0 || (semicolon >= 0 && semicolon < equals))
            {
                // A piece without a value: keep it as it is.
                var end = semicolon < 0 ? setting.Length : semicolon + 1;
                result.Append(setting, i, end - i);
                i = end;
                continue;
            }

            var key = setting[i..equals].Trim();
            result.Append(setting, i, equals + 1 - i);
            var valueStart = equals + 1;
            var j = valueStart;
            while (j < setting.Length && char.IsWhiteSpace(setting[j]))
            {
                j++;
            }

            int valueEnd;
            if (j < setting.Length && (setting[j] == '\'' || setting[j] == '"'))
            {
                var quote = setting[j];
                var k = j + 1;
                while (k < setting.Length)
                {
                    if (setting[k] == quote)
                    {
                        if (k + 1 < setting.Length && setting[k + 1] == quote)
                        {
                            k += 2;
                            continue;
                        }

                        break;
                    }

                    k++;
                }

                var close = Math.Min(k + 1, setting.Length);
                var next = setting.IndexOf(';', close);
                valueEnd = next < 0 ? setting.Length : next;
            }
            else
            {
                var next = setting.IndexOf(';', j);
                valueEnd = next < 0 ? setting.Length : next;
            }

            if (SecretKeys.Contains(key) && valueEnd > valueStart)
            {
                result.Append(Mask);
            }
            else
            {
                result.Append(setting, valueStart, valueEnd - valueStart);
            }

            if (valueEnd < setting.Length)
            {
                result.Append(';');
            }

            i = valueEnd + 1;
        }

        return result.ToString();
    }
}
