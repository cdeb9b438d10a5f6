using System.Globalization;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// The expected schema taken from <c>&lt;history table&gt;_schema</c>: the schema the database had after the
/// tool last changed it. Usable only when it was recorded with the history the database has now (else
/// someone changed the history since, by hand or with an older version) and on the same server major version.
/// </summary>
internal static class RecordedExpectedSchema
{
    /// <summary>The expected schema, or null and why not.</summary>
    public static async Task<(ExpectedSchema? Schema, string Problem)> ReadAsync(
        IDatabaseSession live, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash, string? why, CancellationToken cancellationToken)
    {
        if (live.SchemaReader is not { } reader || await reader.ReadRecordAsync(cancellationToken) is not { } record)
        {
            return (null, $"no schema has been recorded in this database yet (the next deploy, upgrade, downgrade or stamp records it)");
        }

        var by = $"the schema recorded by {record.DeployId} at {record.RecordedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}";
        var history = await live.History.ReadAppliedAsync(cancellationToken);
        if (!string.Equals(record.HistoryHash, RecordedSchema.HashOf(history), StringComparison.Ordinal))
        {
            return (null, $"{by} is of another history (the history was changed since, by hand or by an older version of the tool)");
        }

        SchemaSnapshot snapshot;
        try
        {
            snapshot = SchemaJson.Read(record.Json, by);
        }
        catch (MigrateException ex)
        {
            return (null, $"{by} cannot be read: {ex.Message}");
        }

        if (snapshot.Schema.ServerMajor != ExpectedSchemaBuilder.ServerMajor(live))
        {
            return (null, $"{by} was read on server version {record.ServerVersion}; this server is {live.ServerVersion}, whose text may differ");
        }

        var because = why is null ? "" : ", because no shadow database could be created: " + why;
        return (new ExpectedSchema(
            snapshot.Schema, ExpectedSchemaSource.Recorded, ShadowReplay.HeadsOf(graph, revisions), revisions.Count, hash, record.ServerVersion, by + because), "");
    }
}
