using ProbeOps.Migrate.Code;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Graph;

/// <summary>The files and graph as <c>validate</c> sees them.</summary>
/// <param name="FileCount">Every migration file read, valid or not.</param>
/// <param name="ValidFileCount">The files among them that parsed without error.</param>
public sealed record ValidateResult(string MigrationsDirectory, int FileCount, int ValidFileCount, RevisionGraph? Graph, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => !Diagnostics.Any(d => d.IsError);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);
}

/// <summary>
/// Reads the migrations directory into a validated revision graph, cutting and checking the SQL with
/// <paramref name="dialect"/>'s rules and replacing placeholders with <paramref name="placeholders"/> (none given:
/// only the built-ins have values). The repeatable migrations come with the graph (<see cref="RevisionGraph.Repeatables"/>).
/// With a <paramref name="fileCacheDirectory"/>, files unchanged since the last run are known from their stat cache
/// (<see cref="FileStatCache"/>) and their sections read only when needed; <see cref="ReadDeferredFiles"/> reads
/// them all from their content before anything is run.
/// </summary>
public sealed class GraphLoader(string migrationsDirectory, ISqlDialect dialect, PlaceholderValues? placeholders = null, string? fileCacheDirectory = null)
{
    /// <summary>The C# code migrations that join the files in the graph.</summary>
    public CodeMigrations CodeMigrations { get; init; } = CodeMigrations.None;

    private readonly List<MigrationFile> _deferred = [];
    private readonly Lock _deferredGate = new();

    public PlaceholderValues Placeholders { get; } = placeholders ?? PlaceholderValues.None;

    public string MigrationsDirectory => migrationsDirectory;

    public ISqlDialect Dialect => dialect;

    /// <summary>
    /// Checks files and graph, read with <paramref name="withDialect"/>'s rules when given. Never throws for
    /// bad files: every problem is a diagnostic.
    /// </summary>
    public ValidateResult Validate(bool allowMultipleHeads = false, ISqlDialect? withDialect = null)
    {
        var readWith = withDialect ?? dialect;
        var cache = fileCacheDirectory is null ? null : FileStatCache.For(fileCacheDirectory, migrationsDirectory, readWith.Name);
        var set = CodeMigrations.AddTo(MigrationPlaceholders.Apply(MigrationDirectory.Load(migrationsDirectory, readWith, cache), readWith, Placeholders));
        lock (_deferredGate)
        {
            _deferred.AddRange(set.Files.Where(f => f.IsDeferred));
        }

        var graph = GraphValidator.Validate(set, new GraphValidationOptions(allowMultipleHeads));
        if (cache is not null && set.CacheHash is { } cacheHash && graph.Graph is { Count: > 0 } valid && !graph.HasErrors && CodeMigrations.Count == 0)
            RecordVerdict(cache, cacheHash, valid);
        return new ValidateResult(set.Directory, set.FilesRead, set.Files.Count, graph.Graph?.WithRepeatables(set.Repeatables), graph.Diagnostics);
    }

    /// <summary>
    /// The directory as the last full read found it valid, when no file has changed since (<see cref="MigrationDirectory.Unchanged"/>):
    /// no file read, no graph built. Null without a stat cache, with code migrations, or when anything changed.
    /// </summary>
    public FilesSnapshot? Unchanged()
    {
        if (fileCacheDirectory is null || CodeMigrations.Count > 0 || FileStatCache.For(fileCacheDirectory, migrationsDirectory, dialect.Name) is not { } cache)
            return null;
        return MigrationDirectory.Unchanged(migrationsDirectory, dialect, cache, Placeholders);
    }

    private static void RecordVerdict(FileStatCache cache, string cacheHash, RevisionGraph graph)
    {
        var digest = RevisionDigest.Of(graph.TopologicalOrder.Select(r => (r.Id, r.File?.Checksum ?? "")));
        var verdict = new GraphVerdict(cacheHash, graph.Count, digest, [.. graph.Heads.Select(h => h.Id)]);
        if (cache.ReadVerdict(cacheHash) is not { } known || known.Digest != digest || !known.Heads.SequenceEqual(verdict.Heads))
            cache.WriteVerdict(verdict);
    }

    /// <summary>Loads and validates the migrations; throws (exit 3) listing every error when they are not valid.</summary>
    public RevisionGraph Load(bool allowMultipleHeads = true)
    {
        var result = Validate(allowMultipleHeads);
        if (!result.IsValid || result.Graph is null)
        {
            var errors = result.Errors.ToList();
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"The migrations in {result.MigrationsDirectory} are not valid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}); run `probeops-migrate validate` to list them.",
                result.Diagnostics);
        }

        return result.Graph;
    }

    /// <summary>
    /// Reads every file this loader knew from the stat cache from its content, and checks each against the content hash
    /// the cache held: after it, every checksum compared with the history came from the files' content. Throws (exit 3)
    /// when one no longer matches.
    /// </summary>
    public void ReadDeferredFiles()
    {
        MigrationFile[] files;
        lock (_deferredGate)
        {
            files = [.. _deferred.Where(f => f.IsDeferred)];
        }

        try
        {
            Parallel.ForEach(files, file => file.ReadSections());
        }
        catch (AggregateException e) when (e.InnerExceptions[0] is MigrateException first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }
}
