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
    /// <see cref="MigrateException"/> (Usage) when it is one but malformed.
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
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"The database setting '{trimmed}' uses a sqlite:// URL, which is ambiguous: write sqlite:PATH instead (sqlite:app.db, sqlite:/var/lib/app.db).");
        }

        if (path.Length == 0)
        {
            throw new MigrateException(
                FailureKind.Usage,
                "The database setting 'sqlite:' names no file: write sqlite:PATH (e.g. sqlite:app.db) or sqlite::memory:.");
        }

        if (path == MemoryDataSource)
        {
            return new DatabaseTarget(SqliteProvider.ProviderName, new SqliteConnectionSettings(MemoryDataSource).ConnectionString, trimmed, MemoryDataSource);
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new MigrateException(FailureKind.Usage, $"The database setting '{trimmed}' is not a valid file path: {ex.Message}", ex);
        }

        var fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0 || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"The database setting '{trimmed}' names a directory, not a file: add the file name (e.g. sqlite:{path.TrimEnd('/', Path.DirectorySeparatorChar)}/app.db).");
        }

        return new DatabaseTarget(SqliteProvider.ProviderName, new SqliteConnectionSettings(fullPath).ConnectionString, trimmed, fileName)
        {
            AbsoluteDisplay = Scheme + fullPath,
        };
    }

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
