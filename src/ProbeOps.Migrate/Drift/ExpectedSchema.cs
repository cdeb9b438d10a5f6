using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>Where an expected schema came from.</summary>
public enum ExpectedSchemaSource
{
    /// <summary>A replay done before, kept in the cache (or earlier in this run).</summary>
    Cache,

    /// <summary>The migrations replayed into a shadow database just now.</summary>
    Shadow,

    /// <summary>A snapshot file committed beside the migrations.</summary>
    Snapshot,
}

/// <summary>The schema the migrations produce at some revisions, and how it was obtained.</summary>
/// <param name="Heads">The heads of the revisions replayed; empty for nothing applied.</param>
/// <param name="RevisionCount">How many revisions were replayed.</param>
/// <param name="MigrationsHash">See <see cref="ExpectedSchemaCache.MigrationsHash"/>.</param>
/// <param name="ServerVersion">The server the replay ran on.</param>
/// <param name="Description">One line for reports, e.g. <c>replayed 3 migrations into shadow database ...</c>.</param>
public sealed record ExpectedSchema(
    DatabaseSchema Schema,
    ExpectedSchemaSource Source,
    IReadOnlyList<string> Heads,
    int RevisionCount,
    string MigrationsHash,
    string ServerVersion,
    string Description)
{
    public SchemaSnapshot ToSnapshot() => new()
    {
        Format = SchemaSnapshot.FormatName,
        Version = SchemaSnapshot.CurrentVersion,
        Tool = ToolInfo.Version,
        ServerVersion = ServerVersion,
        Heads = Heads,
        RevisionCount = RevisionCount,
        MigrationsHash = MigrationsHash,
        Schema = Schema,
    };
}

/// <summary>How well one revision matches a database's schema (for <c>--stamp-unversioned auto</c>).</summary>
public sealed record RevisionMatch(string Revision, SchemaComparison Comparison)
{
    public bool Matches => !Comparison.HasDrift;
}
