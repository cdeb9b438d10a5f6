using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>A version as a client program prints it (<c>15.18</c>, <c>18.1</c>, <c>16beta2</c>, <c>9.6.0</c>).</summary>
/// <param name="Text">The version itself, without the distribution's build suffix.</param>
/// <param name="Major">The leading number: 15 for 15.18, 9 for 9.6.0.</param>
/// <param name="Minor">The second number, 0 when absent; it is part of the major release before PostgreSQL 10.</param>
internal readonly record struct PgVersion(string Text, int Major, int Minor)
{
    /// <summary>The release line as <c>server_version_num / 100</c> counts it: 1500 for 15.x, 906 for 9.6.x.</summary>
    public int ReleaseLine => Major >= 10 ? Major * 100 : (Major * 100) + Minor;

    public static int ReleaseLineOf(int serverVersionNumber) => serverVersionNumber / 100;
}

/// <summary>
/// Finding the PostgreSQL client programs, reading their versions, and the libpq environment
/// that carries a connection to them.
/// </summary>
internal static class PostgreSqlClientTools
{
    public const string PgDump = "pg_dump";
    public const string PgRestore = "pg_restore";
    public const string Psql = "psql";

    /// <summary>
    /// libpq variables inherited from the caller that could send a child to another server than the
    /// one the tool connected to; cleared unless the connection sets them.
    /// </summary>
    private static readonly string[] ConnectionVariables =
    [
        "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE", "PGOPTIONS",
        "PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGCONNECT_TIMEOUT", "PGAPPNAME", "PGTARGETSESSIONATTRS",
        "PGREQUIRESSL", "PGSSLCOMPRESSION", "PGCHANNELBINDING",
    ];

    /// <summary>Where a client program writes what nobody needs to read.</summary>
    public static readonly string NullDevice = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";

    /// <summary>No libpq connection variables: a program that needs no server must not reach one.</summary>
    public static Dictionary<string, string?> NoConnection() =>
        new(StringComparer.Ordinal) { ["PGPASSWORD"] = null };

    /// <summary>The full path of <paramref name="name"/>: in <paramref name="binDirectory"/> first, then in each PATH entry; null when nowhere.</summary>
    /// <param name="pathVariable">The PATH to search (this process's PATH when null).</param>
    public static string? Find(string name, string? binDirectory, string? pathVariable = null)
    {
        var fileName = OperatingSystem.IsWindows() ? name + ".exe" : name;
        if (!string.IsNullOrEmpty(binDirectory))
        {
            var candidate = Path.Combine(binDirectory, fileName);
            if (IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        pathVariable ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var entry in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = Path.Combine(entry, fileName);
            if (IsExecutable(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the version out of <c>--version</c> output such as <c>pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)</c>;
    /// null when there is none.
    /// </summary>
    public static PgVersion? ParseVersion(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var line = output.AsSpan().Trim();
        var newline = line.IndexOfAny('\r', '\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        // The version follows "(PostgreSQL)"; without that marker, take the first word that starts with a digit.
        const string Marker = "(PostgreSQL)";
        var marker = line.IndexOf(Marker, StringComparison.Ordinal);
        var rest = marker >= 0 ? line[(marker + Marker.Length)..] : line;
        foreach (var range in rest.Split(' '))
        {
            var word = rest[range];
            if (word.Length > 0 && char.IsAsciiDigit(word[0]))
            {
                return ParseVersionWord(word);
            }

            if (marker >= 0 && word.Length > 0)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The libpq environment (<c>PGHOST</c>, <c>PGPORT</c>, <c>PGUSER</c>, <c>PGPASSWORD</c>, <c>PGDATABASE</c>,
    /// <c>PGSSLMODE</c>, <c>PGAPPNAME</c>, ...) for the target's connection string. The password reaches the
    /// child only here, never on its command line.
    /// </summary>
    public static Dictionary<string, string?> LibpqEnvironment(DatabaseTarget target)
    {
        var settings = Settings(target);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in ConnectionVariables)
        {
            environment[name] = null;
        }

        var (hosts, ports) = HostsAndPorts(settings);
        environment["PGHOST"] = hosts;
        environment["PGPORT"] = ports;
        environment["PGDATABASE"] = target.DatabaseName;
        if (!string.IsNullOrEmpty(settings.Username))
        {
            environment["PGUSER"] = settings.Username;
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            environment["PGPASSWORD"] = settings.Password;
        }

        environment["PGSSLMODE"] = settings.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        SetIfGiven(environment, "PGSSLROOTCERT", settings.RootCertificate);
        SetIfGiven(environment, "PGSSLCERT", settings.SslCertificate);
        SetIfGiven(environment, "PGSSLKEY", settings.SslKey);
        SetIfGiven(environment, "PGOPTIONS", settings.Options);
        environment["PGAPPNAME"] = string.IsNullOrEmpty(settings.ApplicationName) ? "probeops-migrate" : settings.ApplicationName;
        if (settings.Timeout > 0)
        {
            environment["PGCONNECT_TIMEOUT"] = settings.Timeout.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>The password of the target, to scrub from anything a client program printed; null when none.</summary>
    public static string? Password(DatabaseTarget target) => Settings(target).Password;

    private static NpgsqlConnectionStringBuilder Settings(DatabaseTarget target)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(target.ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new MigrateException(FailureKind.Usage, $"The PostgreSQL connection setting {target.Display} cannot be handed to pg_dump: {e.GetType().Name}.");
        }
    }

    private static PgVersion? ParseVersionWord(ReadOnlySpan<char> word)
    {
        var end = 0;
        while (end < word.Length && (char.IsAsciiLetterOrDigit(word[end]) || word[end] == '.'))
        {
            end++;
        }

        var text = word[..end].TrimEnd('.');
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits == 0 || !int.TryParse(text[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return null;
        }

        var minor = 0;
        if (digits < text.Length && text[digits] == '.')
        {
            var start = digits + 1;
            var stop = start;
            while (stop < text.Length && char.IsAsciiDigit(text[stop]))
            {
                stop++;
            }

            if (stop > start)
            {
                _ = int.TryParse(text[start..stop], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
            }
        }

        return new PgVersion(text.ToString(), major, minor);
    }

    /// <summary>Npgsql writes several hosts as <c>a:5433,b</c>; libpq wants <c>PGHOST=a,b</c> and <c>PGPORT=5433,5432</c>.</summary>
    private static (string Hosts, string Ports) HostsAndPorts(NpgsqlConnectionStringBuilder settings)
    {
        var defaultPort = settings.Port.ToString(CultureInfo.InvariantCulture);
        var host = string.IsNullOrEmpty(settings.Host) ? "localhost" : settings.Host;
        var hosts = new List<string>();
        var ports = new List<string>();
        foreach (var raw in host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var item = raw;
            string? port = null;
            if (item.StartsWith('['))
            {
                var close = item.IndexOf(']', StringComparison.Ordinal);
                if (close > 0)
                {
                    port = item.Length > close + 2 && item[close + 1] == ':' ? item[(close + 2)..] : null;
                    item = item[1..close];
                }
            }
            else if (!item.StartsWith('/') && item.Count(c => c == ':') == 1)
            {
                var colon = item.IndexOf(':', StringComparison.Ordinal);
                port = item[(colon + 1)..];
                item = item[..colon];
            }

            hosts.Add(item);
            ports.Add(string.IsNullOrEmpty(port) ? defaultPort : port);
        }

        return (string.Join(',', hosts), string.Join(',', ports));
    }

    private static void SetIfGiven(Dictionary<string, string?> environment, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            environment[name] = value;
        }
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            return (File.GetUnixFileMode(path) & AnyExecute) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
