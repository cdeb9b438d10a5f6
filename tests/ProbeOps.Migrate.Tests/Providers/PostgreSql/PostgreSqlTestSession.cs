using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

/// <summary>Opening sessions on a test database, and the shortcuts the provider tests share.</summary>
internal static class PostgreSqlTestSession
{
    public static readonly PostgreSqlProvider Provider = new();

    public static SessionOptions Options(
        HistoryTableName? history = null,
        TimeSpan? lockTimeout = null,
        TimeSpan? statementTimeout = null,
        int retries = 0) =>
        new(history ?? new HistoryTableName(), TimeSpan.FromSeconds(5), retries, lockTimeout, statementTimeout);

    public static async Task<PostgreSqlSession> OpenAsync(TestDatabase database, SessionOptions? options = null) =>
        (PostgreSqlSession)await Provider.OpenSessionAsync(database.Target, options ?? Options(), CancellationToken.None);

    public static Task ExecAsync(this IDatabaseSession session, string sql) =>
        session.Executor.ExecuteAsync(new SqlStatement(sql, 1), CancellationToken.None);

    /// <summary>The first column of the one row a query returns; default when it is NULL.</summary>
    public static async Task<T?> ScalarAsync<T>(this PostgreSqlSession session, string sql) =>
        await ((PostgreSqlExecutor)session.Executor).QuerySingleAsync(
            sql,
            r => r.IsDBNull(0) ? default : r.GetFieldValue<T>(0),
            CancellationToken.None);
}
