using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>How <c>drift</c>, <c>snapshot</c>, <c>preflight</c> and <c>deploy</c> compute and compare the expected schema.</summary>
public sealed record DriftOptions
{
    public static DriftOptions Default { get; } = new();

    /// <summary>Compare grants too, without the owner's own (<c>--include-privileges</c>).</summary>
    public bool IncludePrivileges { get; init; }

    /// <summary>Glob patterns of objects the migrations do not own (<c>--exclude</c>); see <see cref="ComparisonOptions"/>.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>An empty database to replay into instead of creating one (<c>--shadow-database URL</c>); it is emptied again afterwards.</summary>
    public string? ShadowDatabase { get; init; }

    /// <summary>A snapshot file to compare against instead of replaying (<c>--snapshot FILE</c>); it must be of the database's revisions.</summary>
    public string? SnapshotFile { get; init; }

    /// <summary>Which check to make (<c>--method</c>); <see cref="DriftMethod.Auto"/> picks replay when it can, else the recorded schema.</summary>
    public DriftMethod Method { get; init; }

    /// <summary>Read and write the cache of expected schemas (off: <c>--no-cache</c>).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Where the cache lives; null: <see cref="ExpectedSchemaCache.DefaultDirectory"/>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>A fleet's schema target (SPEC §12): only objects of that schema are compared; null: the whole database.</summary>
    public string? TargetSchema { get; init; }

    /// <summary>Expected schemas shared by a fleet's targets, so each is computed once; null: this run's own.</summary>
    public SharedExpectedSchemas? Shared { get; init; }

    public ComparisonOptions Comparison => new(Exclude) { Schema = TargetSchema };
}
