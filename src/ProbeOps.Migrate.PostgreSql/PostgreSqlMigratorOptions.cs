using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate;

/// <summary><c>UsePostgreSql</c> on <see cref="MigratorOptions"/>.</summary>
public static class PostgreSqlMigratorOptions
{
    /// <summary>
    /// Migrates the PostgreSQL database <paramref name="connectionString"/> names: an Npgsql connection string
    /// (<c>Host=db;Database=app;Username=app</c>) or a URL (<c>postgres://app@db/app</c>).
    /// </summary>
    public static MigratorOptions UsePostgreSql(this MigratorOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UseDatabase(connectionString, time => new PostgreSqlProvider(time));
    }
}
