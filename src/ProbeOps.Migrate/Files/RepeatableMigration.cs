namespace ProbeOps.Migrate.Files;

/// <summary>
/// A repeatable migration (SPEC §15): a <c>.sql</c> file in <c>repeatable/</c> inside the migrations directory,
/// applied after the revisions whenever its checksum differs from the one last recorded. It has no parents and is
/// not part of the revision graph; <c>downgrade</c> never touches it.
/// </summary>
public sealed record RepeatableMigration
{
    /// <summary>The folder inside the migrations directory that holds repeatable migrations.</summary>
    public const string Folder = "repeatable";

    /// <summary>The path the file was read from (as given to the loader).</summary>
    public required string Path { get; init; }

    /// <summary>The file name without <c>.sql</c>: the key its applications are recorded under.</summary>
    public required string Name { get; init; }

    /// <summary>The <c>message</c> header, when present.</summary>
    public string? Message { get; init; }

    /// <summary>The <c>-- migrate:upgrade</c> section: always transactional.</summary>
    public required MigrationSection Upgrade { get; init; }

    /// <summary>Lower-case hex SHA-256 of the upgrade section before placeholders are replaced (<see cref="MigrationChecksum"/>).</summary>
    public required string Checksum { get; init; }

    /// <summary>How output, history and errors name it: <c>repeatable/NAME</c>.</summary>
    public string Id => Folder + "/" + Name;

    /// <summary>The file name alone, for messages.</summary>
    public string FileName => System.IO.Path.GetFileName(Path);
}
