using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// What a migrations directory holds: every file that parsed, and every problem found in any file.
/// A file with errors is left out of <see cref="Files"/> but all its diagnostics are kept.
/// </summary>
public sealed record MigrationSet(string Directory, IReadOnlyList<MigrationFile> Files, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The repeatable migrations of <c>repeatable/</c> that parsed, in file-name order (not part of the graph).</summary>
    public IReadOnlyList<RepeatableMigration> Repeatables { get; init; } = [];
    /// <summary>The files read that did not parse: each with the revision id it claims, when that much could be read.</summary>
    public IReadOnlyList<FailedFile> FailedFiles { get; init; } = [];

    /// <summary>The body hash of the stat cache when it holds every file of the set (<see cref="FileStatCache"/>); else null.</summary>
    internal string? CacheHash { get; init; }

    /// <summary>Every migration file read, valid or not.</summary>
    public int FilesRead => Files.Count + FailedFiles.Count;

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>A file that did not parse, and the revision id it claims (null when not even that could be read).</summary>
public sealed record FailedFile(string Path, string? Revision);
