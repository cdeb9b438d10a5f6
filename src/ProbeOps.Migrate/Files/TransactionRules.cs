namespace ProbeOps.Migrate.Files;

/// <summary>Which statements a database refuses to run inside a transaction block.</summary>
public static class TransactionRules
{
    /// <summary>
    /// A short name for what makes <paramref name="statement"/> non-transactional
    /// (for example <c>CREATE INDEX CONCURRENTLY</c>), or null when it may run in a transaction.
    /// </summary>
    public static string? FindNonTransactionalCommand(SqlStatement statement, SqlDialect dialect) =>
        throw new NotImplementedException();
}
