namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The server refused a statement. Keeps the server's fields typed so the engine can decide what
/// to retry and the CLI can point at the exact place.
/// </summary>
public sealed class StatementFailedException : Exception
{
    public StatementFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The SQLSTATE (PostgreSQL) or extended result code (SQLite) as text.</summary>
    public string? SqlState { get; init; }

    /// <summary>1-based character position in the statement the server pointed at.</summary>
    public int? Position { get; init; }

    public string? Detail { get; init; }

    public string? Hint { get; init; }

    /// <summary>0-based index of the failed statement in a batch (<see cref="IBatchStatementExecutor"/>); null when unknown.</summary>
    public int? StatementIndex { get; init; }

    /// <summary>The statement waited longer than the lock timeout (PostgreSQL 55P03): safe to retry.</summary>
    public bool IsLockTimeout { get; init; }

    /// <summary>The connection broke: nothing more can run on this session.</summary>
    public bool IsConnectionLost { get; init; }
}
