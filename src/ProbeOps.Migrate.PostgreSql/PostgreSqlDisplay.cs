using System.Globalization;
using System.Text;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The one form in which a PostgreSQL connection is shown: <c>postgres://user:***@host:port/database</c>,
/// built from the parsed user, host, port and database alone. It is never derived from what the user
/// typed, so no spelling of a password key, and no password in a place it does not belong, can reach it.
/// </summary>
internal static class PostgreSqlDisplay
{
    private const int DefaultPort = 5432;

    public static string Of(NpgsqlConnectionStringBuilder settings)
    {
        var text = new StringBuilder("postgres://");
        var hasUser = !string.IsNullOrEmpty(settings.Username);
        var hasPassword = !string.IsNullOrEmpty(settings.Password);
        if (hasUser)
        {
            text.Append(Uri.EscapeDataString(settings.Username!));
        }

        if (hasPassword)
        {
            text.Append(':').Append(PostgreSqlConnectionSettings.Mask);
        }

        if (hasUser || hasPassword)
        {
            text.Append('@');
        }

        AppendHosts(text, settings.Host ?? "", settings.Port);
        if (!string.IsNullOrEmpty(settings.Database))
        {
            text.Append('/').Append(Uri.EscapeDataString(settings.Database));
        }

        return text.ToString();
    }

    /// <summary>One host as written in a URL, with the port when it is not the default; several as Npgsql lists them.</summary>
    private static void AppendHosts(StringBuilder text, string hosts, int port)
    {
        if (hosts.Contains(',', StringComparison.Ordinal))
        {
            text.AppendJoin(',', hosts.Split(',').Select(Host));
            return;
        }

        text.Append(hosts.Contains(':', StringComparison.Ordinal) && !hosts.StartsWith('[') ? "[" + hosts + "]" : Host(hosts));
        if (port != DefaultPort)
        {
            text.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A socket directory is percent-encoded, as libpq reads it in a URL.</summary>
    private static string Host(string host) => host.StartsWith('/') ? Uri.EscapeDataString(host) : host;
}
