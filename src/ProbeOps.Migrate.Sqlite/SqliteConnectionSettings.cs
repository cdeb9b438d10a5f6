using Microsoft.Data.Sqlite;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// The <c>sqlite:</c> database settings and the connection string built from them.
/// </summary>
/// <remarks>
/// Accepted forms:
/// <list type="bullet">
/// <item><c>sqlite:PATH</c>: a database file, created when missing. A relative path is resolved against the
/// current directory once, when parsed, so a later change of directory cannot point at another file.</item>
/// <item><c>sqlite::memory:</c>: a private in-memory database that disappears with the session.</item>
/// </list>
/// <c>sqlite://...</c> is refused with a hint: URL readers disagree on how many slashes make a path absolute
/// (SQLAlchemy reads <c>sqlite:///app.db</c> as relative, others as <c>/app.db</c>), and guessing wrong
/// migrates the wrong file. Keyword strings (<c>Data Source=...</c>) are not accepted: they would be
/// ambiguous with other providers' keyword strings. The path is taken literally (no <c>file:</c> URIs,
/// no <c>~</c> expansion).
/// </remarks>
public sealed class SqliteConnectionSettings
{
    /// <summary>The prefix that marks a SQLite setting (matched case-insensitively).</summary>
    public const string Scheme = "sqlite:";

    /// <summary>SQLite's name for a private in-memory database.</summary>
    public const string MemoryDataSource = ":memory:";

    /// <summary>Appended to the database path to name the file that serialises migration runs.</summary>
    public const string LockFileSuffix = ".migrate-lock";

    private SqliteConnectionSettings(string dataSource)
    {
        DataSource = dataSource;
    }

    /// <summary>The absolute database path, or <c>:memory:</c>.</summary>
    public string DataSource { get; }

    public bool IsMemory => DataSource == MemoryDataSource;

    /// <summary>The side file whose exclusive lock serialises migration runs; null for a memory database.</summary>
    public string? LockFilePath => IsMemory ? null : DataSource + LockFileSuffix;

    /// <summary>
    /// The connection string: no pooling, so the file is closed when the session ends (backups, restores and
    /// tests can then move or delete it); read-write, created when missing. Foreign keys keep SQLite's default
    /// (off): SQLite migrations rebuild tables (create new, copy, drop old, rename), which fails or cascades
    /// with enforcement on; a migration that wants enforcement turns it on itself.
    /// </summary>
    public string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = DataSource,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
    }.ToString();

    /// <summary>
    /// Parses a database setting; null when it is not a <c>sqlite:</c> setting. Throws
    /// <see cref="MigrateException"/> (Usage) when it is one but malformed. The target's display string is
    /// <c>sqlite:</c> and the path as written; an error never repeats the setting.
    /// </summary>
    public static DatabaseTarget? TryParse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var trimmed = setting.Trim();
        if (!trimmed.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = trimmed[Scheme.Length..].TrimStart();
        CheckPathAlone(path);
        if (path == MemoryDataSource)
        {
            return new DatabaseTarget(SqliteProvider.ProviderName, new SqliteConnectionSettings(MemoryDataSource).ConnectionString, Scheme + path, MemoryDataSource);
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Malformed("is not a valid file path", ex);
        }

        var fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0 || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw Malformed("names a directory, not a file: add the file name (e.g. sqlite:data/app.db)");
        }

        return new DatabaseTarget(SqliteProvider.ProviderName, new SqliteConnectionSettings(fullPath).ConnectionString, Scheme + path, fileName)
        {
            AbsoluteDisplay = Scheme + fullPath,
        };
    }

    /// <summary>
    /// A <c>sqlite:</c> setting is a file path and nothing else. Parameters (<c>?password=...</c>,
    /// <c>;Password=...</c>) are refused rather than taken as part of a file name: SQLite files have no
    /// password, and a path that holds one would be shown wherever the database is named.
    /// </summary>
    private static void CheckPathAlone(string path)
    {
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            throw Malformed("is a sqlite:// URL, which is ambiguous: write sqlite:PATH instead (sqlite:app.db, sqlite:/var/lib/app.db)");
        }

        if (path.Length == 0)
        {
            throw Malformed("names no file: write sqlite:PATH (e.g. sqlite:app.db) or sqlite::memory:");
        }

        if (path.IndexOfAny(['?', ';', '=']) is var at and >= 0)
        {
            throw Malformed(
                $"holds a '{path[at]}': write sqlite:PATH with the file path alone, without parameters " +
                "(a SQLite file has no password; the setting is not shown, in case it holds one)");
        }
    }

    private static MigrateException Malformed(string problem, Exception? inner = null) =>
        new(FailureKind.Usage, $"The sqlite: database setting {problem}.", inner);

    /// <summary>Reads back the settings of a target this provider parsed.</summary>
    public static SqliteConnectionSettings FromTarget(DatabaseTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!string.Equals(target.Provider, SqliteProvider.ProviderName, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The target belongs to the {target.Provider} provider, not sqlite.", nameof(target));
        }

        var dataSource = new SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        return new SqliteConnectionSettings(dataSource);
    }
}
