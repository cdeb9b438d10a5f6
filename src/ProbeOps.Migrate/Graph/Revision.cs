using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Graph;

/// <summary>A node of the revision graph. Pure data: tests build graphs without files.</summary>
/// <param name="Id">The revision id.</param>
/// <param name="Parents">Parent ids: none for the base, several for a merge.</param>
/// <param name="Message">A human description.</param>
/// <param name="File">The file it came from, when it came from one.</param>
public sealed record Revision(string Id, IReadOnlyList<string> Parents, string? Message = null, MigrationFile? File = null)
{
    public static Revision From(MigrationFile file) => new(file.Revision, file.DownRevisions, file.Message, file);

    public bool IsBase => Parents.Count == 0;

    public bool IsMerge => Parents.Count > 1;
}
