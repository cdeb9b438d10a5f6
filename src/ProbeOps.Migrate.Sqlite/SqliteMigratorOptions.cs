using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate;

/// <summary><c>UseSqlite</c> on <see cref="MigratorOptions"/>.</summary>
public static class SqliteMigratorOptions
{
    /// <summary>
    /// Migrates the SQLite database file at <paramref name="path"/> (created when missing; a relative path is resolved
    /// against the current directory), or the setting <c>sqlite:PATH</c> as the command line takes it.
    /// </summary>
    public static MigratorOptions UseSqlite(this MigratorOptions options, string path)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var setting = path.StartsWith(SqliteConnectionSettings.Scheme, StringComparison.Ordinal) ? path : SqliteConnectionSettings.Scheme + path;
        return options.UseDatabase(setting, time => new SqliteProvider(time));
    }
}
