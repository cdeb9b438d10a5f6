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

    /// <summary>The schema the database itself had after the tool last changed it (<c>&lt;history table&gt;_schema</c>).</summary>
    Recorded,
}

/// <summary>Which check <c>drift</c>, <c>preflight</c> and <c>deploy</c> make (<c>drift --method</c>).</summary>
public enum DriftMethod
{
    /// <summary>Replay (or the cache, or a snapshot of exactly the database's revisions); without a shadow database, the recorded schema.</summary>
    Auto,

    /// <summary>Replay into a shadow database (or the cache): do the files produce this schema. No fallback.</summary>
    Replay,

    /// <summary>The recorded schema only: has anything changed since the tool last did. Needs no shadow database.</summary>
    Recorded,
}

/// <summary>The names reports give the checks.</summary>
public static class DriftChecks
{
    /// <summary>No check ran: no shadow database, no usable snapshot, no recorded schema.</summary>
    public const string None = "none";

    /// <summary><c>shadow-replay</c>, <c>cached-replay</c>, <c>snapshot</c> or <c>recorded-schema</c>.</summary>
    public static string Of(ExpectedSchemaSource source) => source switch
    {
        ExpectedSchemaSource.Cache => "cached-replay",
        ExpectedSchemaSource.Snapshot => "snapshot",
        ExpectedSchemaSource.Recorded => "recorded-schema",
        _ => "shadow-replay",
    };

    /// <summary>The same in words: <c>recorded schema</c>.</summary>
    public static string Describe(string check) => check.Replace('-', ' ');
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
