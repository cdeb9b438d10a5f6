using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers;

/// <summary>What to read of a schema.</summary>
/// <param name="IncludePrivileges">Read grants too (without the owner's own); off by default, since role names differ between environments.</param>
public sealed record SchemaReadOptions(bool IncludePrivileges = false);

/// <summary>A schema as read, with what reading it cost.</summary>
/// <param name="Schema">The model, normalised (every list sorted).</param>
/// <param name="RoundTrips">Requests sent to the server and waited for.</param>
/// <param name="Queries">Catalog queries run.</param>
public sealed record SchemaReadResult(DatabaseSchema Schema, int RoundTrips, int Queries);

/// <summary>
/// Reads a database's schema into the provider-neutral model of <see cref="DatabaseSchema"/>, and
/// makes the throwaway databases the expected schema is computed in. The history and audit tables
/// of the session are never part of what it reads.
/// </summary>
public interface ISchemaInspector
{
    /// <summary>Reads the schema in one consistent snapshot, changing nothing.</summary>
    Task<SchemaReadResult> ReadAsync(SchemaReadOptions options, CancellationToken cancellationToken);

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
