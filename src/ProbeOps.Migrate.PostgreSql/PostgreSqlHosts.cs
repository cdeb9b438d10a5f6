using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>The host list of a PostgreSQL setting: read from a URL's authority, and checked in every form.</summary>
internal static class PostgreSqlHosts
{
    /// <summary>Sets the hosts (and port) of a URL's <c>host[:port][,host[:port]...]</c> part.</summary>
    public static void Set(NpgsqlConnectionStringBuilder builder, string hostList)
    {
        if (hostList.Length == 0)
        {
            // libpq would use its socket here; over TCP the local server is the closest match.
            builder.Host = "localhost";
            return;
        }

        var hosts = hostList.Split(',').Select(ParseOne).ToList();
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

    public static int ParsePort(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return port;
        }

        throw PostgreSqlUrlParser.Malformed("the port is not a number between 1 and 65535");
    }

    /// <summary>
    /// Refuses a host that no server can have: a host holding spaces, '=', ';', quotes and the like is
    /// another part of the setting read in the wrong place, and may be a password, so it is not shown.
    /// </summary>
    public static void Validate(string? hosts, Func<string, MigrateException> malformed)
    {
        if (string.IsNullOrEmpty(hosts))
        {
            return;
        }

        foreach (var c in hosts)
        {
            if (!char.IsLetterOrDigit(c) && !".-_:/%[],".Contains(c, StringComparison.Ordinal))
            {
                throw malformed("the host is not a host name, an IP address or a socket directory (it is not shown, in case it holds a password)");
            }
        }
    }

    private static (string Host, int? Port) ParseOne(string item)
    {
        string host;
        string? port = null;
        if (item.StartsWith('['))
        {
            var close = item.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw PostgreSqlUrlParser.Malformed("an IPv6 address lacks its closing ']'");
            }

            host = item[1..close];
            var after = item[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    throw PostgreSqlUrlParser.Malformed("unexpected text after an IPv6 address");
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

        host = PercentDecoding.Decode(host, "host");
        return (host.Length == 0 ? "localhost" : host, string.IsNullOrEmpty(port) ? null : ParsePort(port));
    }
}
