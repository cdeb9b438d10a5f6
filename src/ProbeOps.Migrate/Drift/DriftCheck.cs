using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>The drift check shared by <c>drift</c>, <c>preflight</c> and <c>deploy</c>: read the live schema, build the expected one, compare.</summary>
public static class DriftCheck
{
    /// <summary>Reads the live schema; throws (exit 2) when the provider cannot.</summary>
    public static Task<SchemaReadResult> ReadLiveAsync(IDatabaseSession session, DriftOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        var reader = session.SchemaReader
            ?? throw new MigrateException(FailureKind.Usage, $"The {session.Target.Provider} provider cannot read schemas, so drift cannot be checked.");
        return reader.ReadAsync(new SchemaReadOptions(options.IncludePrivileges), cancellationToken);
    }

    /// <summary>
    /// Compares the live schema (read now unless <paramref name="live"/> is given) with the expected
    /// schema at <paramref name="applied"/> with <paramref name="repeatables"/> (as last applied) after them;
    /// <paramref name="history"/> is the history rows just read, if at hand (the recorded schema is checked against them).
    /// </summary>
    public static async Task<DriftReport> RunAsync(
        ExpectedSchemaBuilder builder,
        DriftOptions options,
        IDatabaseSession session,
        RevisionGraph graph,
        IReadOnlySet<string> applied,
        TimeProvider time,
        CancellationToken cancellationToken,
        SchemaReadResult? live = null,
        IReadOnlyList<RepeatableMigration>? repeatables = null,
        IReadOnlyList<AppliedRevision>? history = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();

        // A record is read first and parsed while the server reads its catalog for the live schema.
        var recorded = live is null ? await builder.StartRecordedAsync(session, graph, applied, repeatables ?? [], history, cancellationToken) : null;
        live ??= await ReadLiveAsync(session, options, cancellationToken);
        var expected = recorded is not null ? await recorded : await builder.BuildAsync(session, graph, applied, cancellationToken, repeatables);
        var comparison = SchemaComparer.Compare(expected.Schema, live.Schema, options.Comparison);
        return new DriftReport(session.Target.Display, expected.Heads, expected, comparison, time.GetElapsedTime(started), live.RoundTrips);
    }
}
