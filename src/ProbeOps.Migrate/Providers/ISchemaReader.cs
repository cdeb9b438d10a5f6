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
/// Reads a database's schema into the provider-neutral model of <see cref="DatabaseSchema"/>. The
/// history and audit tables of the session are never part of what it reads. An optional role:
/// present exactly when <see cref="ProviderCapabilities.SchemaReading"/> is declared.
/// </summary>
public interface ISchemaReader
{
    /// <summary>Reads the schema in one consistent snapshot, changing nothing.</summary>
    Task<SchemaReadResult> ReadAsync(SchemaReadOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// The schema recorded after the tool last changed the database (<c>&lt;history table&gt;_schema</c>);
    /// null when none was (the table is missing or empty). Written with <see cref="HistorySql.ReplaceSchemaRecord"/>.
    /// </summary>
    Task<RecordedSchema?> ReadRecordAsync(CancellationToken cancellationToken);
}
