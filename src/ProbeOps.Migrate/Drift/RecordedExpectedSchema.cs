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
        IDatabaseSession live, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash, string? why, CancellationToken cancellationToken) =>
        await await StartAsync(live, graph, revisions, hash, why, history: null, cancellationToken);

    /// <summary>
    /// Reads the record (and the history, unless <paramref name="history"/> is the one just read) from the database now,
    /// and returns its parse, running on the thread pool: the session is free again when this returns, so the live
    /// schema can be read while the record is parsed.
    /// </summary>
    public static async Task<Task<(ExpectedSchema? Schema, string Problem)>> StartAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlyList<Revision> revisions,
        string hash,
        string? why,
        IReadOnlyList<AppliedRevision>? history,
        CancellationToken cancellationToken)
    {
        if (live.SchemaReader is not { } reader || await reader.ReadRecordAsync(cancellationToken) is not { } record)
        {
            return Task.FromResult<(ExpectedSchema?, string)>(
                (null, "no schema has been recorded in this database yet (the next deploy, upgrade, downgrade or stamp records it)"));
        }

        history ??= await live.History.ReadAppliedAsync(cancellationToken);
        var serverMajor = ExpectedSchemaBuilder.ServerMajor(live);
        var serverVersion = live.ServerVersion;
        var heads = ShadowReplay.HeadsOf(graph, revisions);
        return Task.Run(() => Parse(record, history, serverMajor, serverVersion, heads, revisions.Count, hash, why), cancellationToken);
    }

    private static (ExpectedSchema? Schema, string Problem) Parse(
        RecordedSchema record, IReadOnlyList<AppliedRevision> history, int serverMajor, string serverVersion, IReadOnlyList<string> heads, int count, string hash, string? why)
    {
        var by = $"the schema recorded by {record.DeployId} at {record.RecordedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}";
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

        if (snapshot.Schema.ServerMajor != serverMajor)
        {
            return (null, $"{by} was read on server version {record.ServerVersion}; this server is {serverVersion}, whose text may differ");
        }

        var because = why is null ? "" : ", because no shadow database could be created: " + why;
        return (new ExpectedSchema(snapshot.Schema, ExpectedSchemaSource.Recorded, heads, count, hash, record.ServerVersion, by + because), "");
    }
}
