namespace ProbeOps.Migrate.Schema;

/// <summary>
/// The expected schema at some revisions, as a file: the <c>snapshot</c> command writes it beside
/// the migrations, and the expected-schema cache keeps one per replay. The text is stable (sorted,
/// defaults left out, <c>\n</c> line endings), so a committed snapshot changes in a review exactly
/// where the schema does.
/// </summary>
public sealed record SchemaSnapshot
{
    public const string FormatName = "probeops-migrate/schema";

    /// <summary>Bumped whenever what is read or how it is written changes; older files are then ignored or refused.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Always <see cref="FormatName"/> in a file this tool wrote; empty on a new object, so a file without it is refused.</summary>
    public string Format { get; init; } = "";

    /// <summary>Always <see cref="CurrentVersion"/> in a file this tool wrote.</summary>
    public int Version { get; init; }

    /// <summary>The tool version that wrote a cache entry, for people; never compared. Left out of committed snapshots.</summary>
    public string? Tool { get; init; }

    /// <summary>The server version the replay ran on, e.g. <c>15.8</c>.</summary>
    public string ServerVersion { get; init; } = "";

    /// <summary>The heads of the revisions replayed; nothing applied gives an empty list.</summary>
    public IReadOnlyList<string> Heads { get; init; } = [];

    /// <summary>How many revisions were replayed.</summary>
    public int RevisionCount { get; init; }

    /// <summary>SHA-256 over the ids and checksums of the revisions replayed, in order: a snapshot whose hash differs is stale.</summary>
    public string MigrationsHash { get; init; } = "";

    public DatabaseSchema Schema { get; init; } = new();
}
