namespace ProbeOps.Migrate.Sql;

/// <summary>The dialects the tool knows, by name; the core parses files with them without any provider loaded.</summary>
public static class SqlDialects
{
    /// <summary>The dialect files are checked with when no database says otherwise.</summary>
    public static ISqlDialect Default => PostgreSql;

    public static ISqlDialect PostgreSql => PostgreSqlDialect.Instance;

    public static ISqlDialect Sqlite => SqliteDialect.Instance;

    public static IReadOnlyList<ISqlDialect> All { get; } = [PostgreSqlDialect.Instance, SqliteDialect.Instance];

    /// <summary>The dialect called <paramref name="name"/> (<c>postgresql</c>, <c>sqlite</c>; any case), or null.</summary>
    public static ISqlDialect? FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }
}
