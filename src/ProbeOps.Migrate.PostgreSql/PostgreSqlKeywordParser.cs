using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads Npgsql keyword strings (<c>Host=...;Database=...;Username=...</c>) key by key, so that an
/// error can say which key is wrong without showing any value.
/// </summary>
internal static partial class PostgreSqlKeywordParser
{
    public const string LibpqRefusal =
        "The database setting looks like a libpq keyword/value string (host=... dbname=... separated by spaces), which is not accepted: " +
        "write a URL (postgres://user:password@host:port/database) or an Npgsql string (Host=...;Port=...;Database=...;Username=...;Password=...).";

    private const string Expected = "write Key=Value pairs separated by ';' (quote a value that holds ';' or '=')";

    public static MigrateException Malformed(string problem) =>
        new(FailureKind.Usage, $"The PostgreSQL connection string is malformed: {problem}; {Expected}.");

    /// <summary>True for libpq's form: two or more <c>key=value</c> separated by spaces, and no ';'.</summary>
    public static bool LooksLikeLibpqString(string setting) =>
        !setting.Contains(';', StringComparison.Ordinal) && !setting.Contains("://", StringComparison.Ordinal) &&
        !setting.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && LibpqPairs().IsMatch(setting);

    /// <summary>True when the setting is a keyword string that names a host (Host or Server).</summary>
    public static bool LooksLikeKeywordString(string setting)
    {
        if (!setting.Contains('=', StringComparison.Ordinal) || setting.Contains("://", StringComparison.Ordinal) ||
            setting.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Pairs(setting) is not { } generic)
        {
            // Unparseable: ours only if it plainly names a PostgreSQL host.
            return setting.Contains("host=", StringComparison.OrdinalIgnoreCase) ||
                   setting.Contains("server=", StringComparison.OrdinalIgnoreCase);
        }

        return generic.ContainsKey("host") || generic.ContainsKey("server");
    }

    public static NpgsqlConnectionStringBuilder Parse(string setting)
    {
        var pairs = Pairs(setting) ?? throw Malformed("it is not a list of Key=Value pairs");
        var builder = new NpgsqlConnectionStringBuilder();
        var position = 0;
        foreach (string key in pairs.Keys)
        {
            position++;
            PostgreSqlKeys.Set(builder, key, pairs[key] as string ?? "", position, "key", Malformed);
        }

        PostgreSqlHosts.Validate(builder.Host, Malformed);
        return builder;
    }

    private static DbConnectionStringBuilder? Pairs(string setting)
    {
        try
        {
            return new DbConnectionStringBuilder { ConnectionString = setting };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*[A-Za-z_]+\s*=\s*('(?:[^'\\]|\\.)*'|\S*)\s+[A-Za-z_]+\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex LibpqPairs();
}
