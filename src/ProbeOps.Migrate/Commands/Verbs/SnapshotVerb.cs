using System.Globalization;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Commands;

/// <summary>Options of <c>snapshot</c>.</summary>
/// <param name="Output">The file to write; default <c>schema.&lt;provider&gt;.json</c> in the migrations directory.</param>
/// <param name="Check">Write nothing: report whether the file is up to date (exit 9 when it is not).</param>
public sealed record SnapshotRequest(string? Output = null, bool Check = false);

/// <summary>What <c>snapshot</c> wrote, or found.</summary>
/// <param name="UpToDate">The file held this schema already (it is left untouched).</param>
public sealed record SnapshotResult(string Path, IReadOnlyList<string> Heads, int RevisionCount, ExpectedSchemaSource Source, bool UpToDate, bool Written);

/// <summary>
/// <c>snapshot</c>: writes the expected schema at head (every revision) to a file meant to be committed
/// beside the migrations, for environments where no shadow database can be created. Needs a database
/// of the provider to replay into (PostgreSQL: a server on which to create a shadow database, or
/// <c>--shadow-database</c>; SQLite: none, it replays in memory). Rewrites the file only when its
/// content changes.
/// </summary>
public sealed class SnapshotVerb(SnapshotRequest request, DriftOptions options) : IDatabaseVerb<SnapshotResult>
{
    public OperationNeeds Needs { get; } = new(History: HistoryNeed.None);

    public async Task<SnapshotResult> RunAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var context = scope.Context;

        // The snapshot is computed, never read back from itself.
        var builder = context.ExpectedSchemas(options with { SnapshotFile = null });
        var all = new HashSet<string>(scope.Graph.Ids, StringComparer.Ordinal);
        var expected = await builder.BuildAsync(scope.Session, scope.Graph, all, cancellationToken, scope.Graph.Repeatables);
        var path = request.Output is null
            ? ExpectedSchemaBuilder.DefaultSnapshotPath(context.Settings, context.Provider.Name)
            : Path.GetFullPath(request.Output);

        // Only the major version, so a minor server upgrade does not rewrite a committed file.
        var snapshot = expected.ToSnapshot() with { Tool = null, ServerVersion = expected.Schema.ServerMajor.ToString(CultureInfo.InvariantCulture) };
        var text = SchemaJson.Write(snapshot);
        var existing = Read(path);
        var upToDate = existing is not null && string.Equals(existing.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
        if (request.Check || upToDate)
        {
            return new SnapshotResult(path, expected.Heads, expected.RevisionCount, expected.Source, upToDate, Written: false);
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot write the snapshot {path}: {ex.Message}", ex);
        }

        return new SnapshotResult(path, expected.Heads, expected.RevisionCount, expected.Source, UpToDate: false, Written: true);
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot read {path}: {ex.Message}", ex);
        }
    }
}
