using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Sets one key of a keyword string or URL query on Npgsql's settings, and names a key in an error
/// without ever showing a value. A key Npgsql knows is named. An unknown key is named only when it is
/// a near miss of a known one (a misspelling): a ';' or '&amp;' left unquoted inside a password turns
/// the rest of the password into something that reads as a key, so any other unknown key is named by
/// its position alone.
/// </summary>
internal static class PostgreSqlKeys
{
    /// <summary>The keywords a misspelling is compared with: Npgsql's common ones and libpq's URL parameters.</summary>
    private static readonly string[] Known =
    [
        "dbname", "user", "sslmode", "connect_timeout", "application_name", "sslrootcert", "sslcert", "sslkey",
        "sslpassword", "Host", "Server", "Port", "Database", "Username", "User ID", "Password", "Passfile",
        "SSL Mode", "Timeout", "Command Timeout", "Application Name", "Search Path", "Options", "Root Certificate",
        "SSL Certificate", "SSL Key", "SSL Password", "Trust Server Certificate", "Target Session Attributes",
        "Keepalive", "Include Error Detail", "Pooling", "Multiplexing", "Channel Binding", "Timezone",
        "Encoding", "Load Balance Hosts", "Kerberos Service Name", "Enlist",
    ];

    /// <param name="noun">What the user calls a key in this form: "key" or "query parameter".</param>
    public static void Set(
        NpgsqlConnectionStringBuilder builder, string key, string value, int position, string noun, Func<string, MigrateException> malformed)
    {
        if (!builder.ContainsKey(key))
        {
            throw malformed(Unknown(key, position, noun));
        }

        try
        {
            builder[key] = value;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            throw malformed($"the value of {key.Trim()} is not valid (it is not shown, in case it is a secret)");
        }
    }

    public static string Ordinal(int position) => (position % 100, position % 10) switch
    {
        (11 or 12 or 13, _) => $"{position}th",
        (_, 1) => $"{position}st",
        (_, 2) => $"{position}nd",
        (_, 3) => $"{position}rd",
        _ => $"{position}th",
    };

    private static string Unknown(string key, int position, string noun)
    {
        var normalised = Normalise(key);
        var closest = Known.MinBy(known => Distance(normalised, Normalise(known)))!;
        var distance = Distance(normalised, Normalise(closest));
        return normalised.Length >= 3 && distance <= Math.Max(1, normalised.Length / 4)
            ? $"the {noun} {key.Trim()} is not a PostgreSQL connection setting (did you mean {closest}?)"
            : $"the {Ordinal(position)} {noun} is not a PostgreSQL connection setting (not shown: it may be part of a value that holds an unquoted separator); check its spelling";
    }

    private static string Normalise(string key) =>
        new([.. key.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>Levenshtein distance: the fewest single-character edits from one word to the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
