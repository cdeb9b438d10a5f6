using System.Security.Cryptography;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// Reads the migration files of a directory through its stat cache: a file whose stamp matches a trusted entry
/// (<see cref="CacheContents.Trusted"/>) is not read, and comes back deferred (header only, sections read when first
/// needed and checked against the cached content hash). Every other file is read and parsed; one that parsed
/// without a finding and uses no placeholder becomes an entry. The cache is written again only when something changed.
/// </summary>
internal sealed class StatCachedReader(FileStatCache cache, ISqlDialect dialect)
{
    /// <param name="cacheHash">The body hash of the cache as it now stands when it holds every one of <paramref name="paths"/>; else null.</param>
    public MigrationFileParseResult[] Read(string[] paths, out string? cacheHash)
    {
        var known = cache.Read();
        var results = new MigrationFileParseResult[paths.Length];
        var entries = new CachedFile?[paths.Length];
        // Stamp before reading: a change after it moves the stamp, so it is seen next time.
        var stamps = paths.Length == 0 ? [] : FileStamp.InDirectory(Path.GetDirectoryName(paths[0])!, paths);
        var toRead = new List<int>();
        for (var i = 0; i < paths.Length; i++)
        {
            if (stamps[i] is { } stamp && known.Trusted(Path.GetFileName(paths[i]), stamp) is { } entry)
            {
                entries[i] = entry;
                results[i] = Deferred(paths[i], entry);
            }
            else
            {
                toRead.Add(i);
            }
        }

        Parallel.ForEach(toRead, i => (results[i], entries[i]) = ReadAndParse(paths[i], stamps[i]));
        cacheHash = known.BodyHash;
        if (toRead.Count > 0 || known.Entries.Count != paths.Length - toRead.Count)
            cacheHash = cache.Write(entries.OfType<CachedFile>());
        if (Array.IndexOf(entries, null) >= 0)
            cacheHash = null;
        return results;
    }

    private (MigrationFileParseResult, CachedFile?) ReadAndParse(string path, FileStamp? stamp)
    {
        if (MigrationDirectory.ReadBytes(path, out var bytes) is { } unreadable)
            return (new MigrationFileParseResult(null, [unreadable]), null);
        var result = MigrationFileParser.Parse(path, bytes, dialect);
        var cacheable = stamp is not null && result.File is not null && result.Diagnostics.Count == 0 && !UsesPlaceholders(bytes);
        return (result, cacheable
            ? new CachedFile(Path.GetFileName(path), stamp!.Value, ContentHash(bytes), CachedFileHeader.Of(result.File!))
            : null);
    }

    private MigrationFileParseResult Deferred(string path, CachedFile entry) =>
        new(new MigrationFile(entry.Header, path, () => ReadSections(path, entry)), []) { Revision = entry.Header.Revision };

    /// <summary>The sections of a deferred file, read now; throws (exit 3) when the file is no longer what the cache said.</summary>
    private MigrationSections ReadSections(string path, CachedFile entry)
    {
        var unreadable = MigrationDirectory.ReadBytes(path, out var bytes);
        var file = unreadable is null && ContentHash(bytes) == entry.ContentHash ? MigrationFileParser.Parse(path, bytes, dialect).File : null;
        if (file is null)
        {
            cache.Forget();
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"{Path.GetFileName(path)} changed while this command was running{(unreadable is null ? "" : $" ({unreadable.Message})")}: nothing was run from it; run the command again.");
        }

        return new MigrationSections(file.Upgrade, file.Downgrade, file.Backfill);
    }

    /// <summary>Placeholders are replaced per run (their values differ), so a file that has one is always read.</summary>
    private static bool UsesPlaceholders(ReadOnlySpan<byte> bytes) => bytes.IndexOf("${"u8) >= 0;

    private static string ContentHash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
