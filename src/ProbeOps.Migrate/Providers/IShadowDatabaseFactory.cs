namespace ProbeOps.Migrate.Providers;

/// <summary>
/// Makes the throwaway databases the expected schema is computed in. An optional role: present
/// exactly when <see cref="ProviderCapabilities.ShadowDatabases"/> is declared.
/// </summary>
public interface IShadowDatabaseFactory
{
    /// <summary>
    /// Creates an empty database of the same kind (PostgreSQL: a uniquely named database on the same
    /// server, so deparsed text matches; SQLite: in memory) and opens a session on it. Disposing the
    /// result closes it and drops the database. Throws <see cref="ShadowDatabaseUnavailableException"/>
    /// when the server will not create one.
    /// </summary>
    Task<IShadowDatabase> CreateShadowAsync(SessionOptions options, CancellationToken cancellationToken);
}

/// <summary>A throwaway database the migrations are replayed into; dropped on dispose.</summary>
public interface IShadowDatabase : IAsyncDisposable
{
    IDatabaseSession Session { get; }

    /// <summary>What it is, for messages (never a password).</summary>
    string Description { get; }

    /// <summary>Set after dispose when the database could not be dropped: a sentence saying what to drop by hand.</summary>
    string? CleanupProblem { get; }
}

/// <summary>The server would not create a shadow database (no CREATEDB, template in use...).</summary>
public sealed class ShadowDatabaseUnavailableException : MigrateException
{
    public ShadowDatabaseUnavailableException(string message, string reason, Exception? inner = null)
        : base(FailureKind.Usage, message, inner)
    {
        Reason = reason;
    }

    /// <summary>Why, in a few words (<c>the user may not create databases (CREATEDB)</c>), for reports that fall back to a snapshot.</summary>
    public string Reason { get; }
}
