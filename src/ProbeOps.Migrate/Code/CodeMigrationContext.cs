using System.Data.Common;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Code;

/// <summary>
/// What a <see cref="CodeMigration"/> runs with: the migration session's own connection (which holds the migration
/// lock) and its open transaction, so raw ADO.NET commands or Dapper calls run inside the run's transaction.
/// </summary>
public sealed class CodeMigrationContext
{
    private readonly IDatabaseSession _session;
    private readonly Action<string> _log;

    internal CodeMigrationContext(IDatabaseSession session, string revision, Action<string> log, CancellationToken cancellationToken)
    {
        _session = session;
        _log = log;
        Revision = revision;
        CancellationToken = cancellationToken;
    }

    /// <summary>The revision running.</summary>
    public string Revision { get; }

    /// <summary>The provider's name (<c>postgresql</c>, <c>sqlite</c>), for migrations that differ by engine.</summary>
    public string Provider => _session.Target.Provider;

    /// <summary>Cancelled when the run is: pass it to every call that takes one.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The migration session's connection. Do not close it or change its transaction.</summary>
    public DbConnection Connection => _session.Connection ?? throw new MigrateException(
        FailureKind.Usage, $"The {_session.Target.Provider} provider gives code migrations no connection; write {Revision} as a .sql file.");

    /// <summary>
    /// The open transaction, for APIs that want it named (Dapper's <c>transaction:</c>); null outside a transaction,
    /// and on SQLite, whose transaction is the connection's own (commands join it without naming it).
    /// </summary>
    public DbTransaction? Transaction => _session.Executor.Transaction;

    /// <summary>Runs one SQL statement in the open transaction and returns how many rows it changed.</summary>
    public Task<long> ExecuteAsync(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return _session.Executor.ExecuteCountingAsync(new SqlStatement(sql, 1), CancellationToken);
    }

    /// <summary>Writes a line to the run's output (the CLI's notices, or the application's observer).</summary>
    public void Log(string message) => _log($"{Revision}: {message}");
}
