using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// An executor that can send several statements in one round trip. The engine uses it only inside an
/// explicit transaction: outside one, a multi-statement batch runs as an implicit transaction, which
/// statements such as <c>CREATE INDEX CONCURRENTLY</c> or <c>VACUUM</c> refuse.
/// </summary>
public interface IBatchStatementExecutor
{
    /// <summary>
    /// Runs the statements in order, each verbatim as its own command, in one round trip. The first
    /// failure stops the rest and throws <see cref="StatementFailedException"/> with
    /// <see cref="StatementFailedException.StatementIndex"/> set to the index of the failed statement
    /// when the server says which one it was.
    /// </summary>
    Task ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken);
}
