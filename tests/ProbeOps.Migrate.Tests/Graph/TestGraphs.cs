using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Tests.Graph;

/// <summary>Builds graphs and files in memory, so these tests need neither the parser nor a disk.</summary>
internal static class TestGraphs
{
    /// <summary>A graph from specs like <c>"a"</c> (a base) and <c>"m:b,c"</c> (m with parents b and c).</summary>
    public static RevisionGraph Of(params string[] specs) => RevisionGraph.Create(specs.Select(Parse));

    public static Revision Parse(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? new Revision(spec, [])
            : new Revision(spec[..colon], spec[(colon + 1)..].Split(','));
    }

    public static HashSet<string> Set(params string[] ids) => new(ids, StringComparer.Ordinal);

    public static string[] Ids(IEnumerable<Revision> revisions) => [.. revisions.Select(r => r.Id)];

    /// <summary>A parsed file with the revision id taken from its name, as the parser does by default.</summary>
    public static MigrationFile File(
        string path,
        string[] parents,
        string? revision = null,
        bool reversible = true,
        int revisionLine = 1,
        int downRevisionLine = 2) => new()
        {
            Path = path,
            Revision = revision ?? System.IO.Path.GetFileNameWithoutExtension(path),
            DownRevisions = parents,
            Upgrade = new MigrationSection("SELECT 1;\n", true, 4, [new SqlStatement("SELECT 1", 5)]),
            Downgrade = reversible ? new MigrationSection("SELECT 2;\n", true, 7, [new SqlStatement("SELECT 2", 8)]) : null,
            Checksum = new string('0', 64),
            RevisionLine = revisionLine,
            DownRevisionLine = downRevisionLine,
        };

    public static MigrationSet SetOf(params MigrationFile[] files) => new("migrations", files, []);
}
