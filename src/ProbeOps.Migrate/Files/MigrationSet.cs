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

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
