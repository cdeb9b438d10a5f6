using System.Data.Common;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Providers;

/// <summary>Runs statements one per command, inside or outside an explicit transaction.</summary>
public interface IStatementExecutor
{
    bool InTransaction { get; }

    /// <summary>The open ADO.NET transaction, for C# code migrations; null outside one, or when the engine's is implicit.</summary>
    DbTransaction? Transaction => null;

    Task BeginTransactionAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Rolls back the open transaction, if any, and restores the session settings. Never throws for a lost connection.</summary>
    Task RollbackAsync(CancellationToken cancellationToken);

    /// <summary>Runs one statement. Throws <see cref="StatementFailedException"/> when the server refuses it.</summary>
    Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one statement and returns how many rows it inserted, updated or deleted, as the engine counts them
    /// (PostgreSQL's command tag, SQLite's <c>changes()</c>); zero for a statement that changes none.
    /// </summary>
    Task<long> ExecuteCountingAsync(SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a query and returns its first column as text, one value a row (a fleet's discovery query, SPEC §12).
    /// A provider that cannot is a usage error.
    /// </summary>
    Task<IReadOnlyList<string>> QueryFirstColumnAsync(string sql, CancellationToken cancellationToken) =>
        throw new MigrateException(FailureKind.Usage, "This kind of database cannot run a discovery query: list its targets in the targets file.");
}
