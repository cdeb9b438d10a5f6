using System.Data.Common;

namespace ProbeOps.Migrate.Code;

/// <summary>
/// What a <see cref="CodeMigration"/> runs with: the migration session's own connection (which holds the migration
/// lock) and its open transaction, so raw ADO.NET commands or Dapper calls run inside the run's transaction.
/// </summary>
public sealed class CodeMigrationContext
{
    private readonly ICodeSession _session;

    internal CodeMigrationContext(ICodeSession session, string revision, CancellationToken cancellationToken)
    {
        _session = session;
        Revision = revision;
        CancellationToken = cancellationToken;
    }

    /// <summary>The revision running.</summary>
    public string Revision { get; }

    /// <summary>The provider's name (<c>postgresql</c>, <c>sqlite</c>), for migrations that differ by engine.</summary>
    public string Provider => _session.Provider;

    /// <summary>Cancelled when the run is: pass it to every call that takes one.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The migration session's connection. Do not close it or change its transaction.</summary>
    public DbConnection Connection => _session.Connection ?? throw new MigrateException(
        FailureKind.Usage, $"The {Provider} provider gives code migrations no connection; write {Revision} as a .sql file.");

    /// <summary>
    /// The open transaction, for APIs that want it named (Dapper's <c>transaction:</c>); null outside a transaction,
    /// and on SQLite, whose transaction is the connection's own (commands join it without naming it).
    /// </summary>
    public DbTransaction? Transaction => _session.Transaction;

    /// <summary>Runs one SQL statement in the open transaction and returns how many rows it changed.</summary>
    public Task<long> ExecuteAsync(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return _session.ExecuteAsync(sql, CancellationToken);
    }

    /// <summary>Writes a line to the run's output (the CLI's notices, or the application's observer).</summary>
    public void Log(string message) => _session.Log($"{Revision}: {message}");
}

/// <summary>The migration session as a code migration sees it; the runner adapts its session to it.</summary>
internal interface ICodeSession
{
    string Provider { get; }

    DbConnection? Connection { get; }

    DbTransaction? Transaction { get; }

    Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken);

    void Log(string message);
}
