using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>The outcome of parsing one file: the file when it parsed, and every finding either way.</summary>
public sealed record MigrationFileParseResult(MigrationFile? File, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>Parses the SQL migration file format of SPEC §2 in one pass over the bytes.</summary>
public static class MigrationFileParser
{
    /// <summary>Parses <paramref name="content"/>, the raw bytes of the file at <paramref name="path"/>. Never throws for bad input.</summary>
    public static MigrationFileParseResult Parse(string path, ReadOnlySpan<byte> content) =>
        throw new NotImplementedException();
}
