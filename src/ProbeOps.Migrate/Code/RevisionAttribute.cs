namespace ProbeOps.Migrate.Code;

/// <summary>
/// Declares the revision a <see cref="CodeMigration"/> class is: its id and parents, as a <c>.sql</c> file's
/// <c>revision</c> and <c>down_revision</c> headers do. No parents marks the base.
/// </summary>
/// <example><c>[Revision("20250602_fill_display_names", "20250601_add_display_name", Message = "Fill display names")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RevisionAttribute(string id, params string[] parents) : Attribute
{
    /// <summary>The revision id, in the file-name convention: <c>YYYYMMDD_description</c>.</summary>
    public string Id { get; } = id;

    /// <summary>The parent revisions (<c>.sql</c> files or other classes): none for the base, several for a merge.</summary>
    public IReadOnlyList<string> Parents { get; } = parents;

    /// <summary>A human description, as a file's <c>message</c> header.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Raise it when what the migration does changes after it was applied somewhere: the recorded checksum then
    /// differs and the run stops (exit 3) as for an edited <c>.sql</c> file, until the change is amended.
    /// </summary>
    public int Version { get; init; } = 1;
}
