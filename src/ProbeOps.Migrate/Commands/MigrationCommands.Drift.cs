using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Commands;

/// <summary>Options of <c>snapshot</c>.</summary>
/// <param name="Output">The file to write; default <c>schema.&lt;provider&gt;.json</c> in the migrations directory.</param>
/// <param name="Check">Write nothing: report whether the file is up to date (exit 9 when it is not).</param>
public sealed record SnapshotRequest(string? Output = null, bool Check = false);

/// <summary>What <c>snapshot</c> wrote, or found.</summary>
/// <param name="UpToDate">The file held this schema already (it is left untouched).</param>
public sealed record SnapshotResult(string Path, IReadOnlyList<string> Heads, int RevisionCount, ExpectedSchemaSource Source, bool UpToDate, bool Written);

public sealed partial class MigrationCommands
{
    /// <summary>
    /// Compares the live schema with the schema the migrations produce at the database's applied
    /// revisions. Changes nothing in the database; exit 9 when they differ is the caller's to return.
    /// </summary>
    public async Task<DriftReport> DriftAsync(DriftOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (graph, provider, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var check = HistoryCheck.Compare(graph, applied);
            check.ThrowIfInconsistent();
            var builder = new ExpectedSchemaBuilder(provider, _settings, _providers, options, _time, _observer, _actor);
            return await DriftCheck.RunAsync(builder, options, session, graph, check.AppliedIds, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Writes the expected schema at head (every revision) to a file meant to be committed beside
    /// the migrations, for environments where no shadow database can be created. Needs a database
    /// of the provider to replay into (PostgreSQL: a server on which to create a shadow database, or
    /// <c>--shadow-database</c>; SQLite: none, it replays in memory). Rewrites the file only when
    /// its content changes.
    /// </summary>
    public async Task<SnapshotResult> SnapshotAsync(SnapshotRequest request, DriftOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var (graph, provider, session) = await LoadGraphAndOpenSessionAsync(cancellationToken);
        await using (session)
        {
            // The snapshot is computed, never read back from itself.
            var replayOptions = options with { SnapshotFile = null };
            var builder = new ExpectedSchemaBuilder(provider, _settings, _providers, replayOptions, _time, _observer, _actor);
            var all = new HashSet<string>(graph.Ids, StringComparer.Ordinal);
            var expected = await builder.BuildAsync(session, graph, all, cancellationToken);
            var path = request.Output is null
                ? ExpectedSchemaBuilder.DefaultSnapshotPath(_settings, provider.Name)
                : Path.GetFullPath(request.Output);
            // Only the major version, so a minor server upgrade does not rewrite a committed file.
            var snapshot = expected.ToSnapshot() with
            {
                Tool = null,
                ServerVersion = expected.Schema.ServerMajor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var text = SchemaJson.Write(snapshot);
            string? existing = null;
            try
            {
                existing = File.Exists(path) ? File.ReadAllText(path) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MigrateException(FailureKind.Usage, $"Cannot read {path}: {ex.Message}", ex);
            }

            var upToDate = existing is not null && string.Equals(existing.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
            if (request.Check || upToDate)
            {
                return new SnapshotResult(path, expected.Heads, expected.RevisionCount, expected.Source, upToDate, Written: false);
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new MigrateException(FailureKind.Usage, $"Cannot write the snapshot {path}: {ex.Message}", ex);
            }

            return new SnapshotResult(path, expected.Heads, expected.RevisionCount, expected.Source, UpToDate: false, Written: true);
        }
    }
}
