namespace ProbeOps.Migrate.Files;

/// <summary>Cuts a section into statements, one per command sent to the server.</summary>
public static class SqlStatementSplitter
{
    /// <summary>
    /// Splits <paramref name="sql"/> into statements. <paramref name="firstLine"/> is the file line of the
    /// first character, so each statement knows its own line. Empty statements are dropped.
    /// </summary>
    public static IReadOnlyList<SqlStatement> Split(string sql, SqlDialect dialect, int firstLine = 1) =>
        throw new NotImplementedException();
}
