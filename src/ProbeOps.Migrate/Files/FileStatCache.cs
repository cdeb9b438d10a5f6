using System.Security.Cryptography;
using System.Text;

namespace ProbeOps.Migrate.Files;

/// <summary>What a command that runs nothing needs of a migration file: its header and checksums, not its statements.</summary>
internal sealed record CachedFileHeader(
    string Revision, IReadOnlyList<string> Parents, string? Message, string Checksum, int RevisionLine, int DownRevisionLine,
    bool HasDowngrade, bool HasBackfill, bool UpgradeTransactional)
{
    public static CachedFileHeader Of(MigrationFile file) => new(
        file.Revision, file.DownRevisions, file.Message, file.Checksum, file.RevisionLine, file.DownRevisionLine,
        file.Downgrade is not null, file.Backfill is not null, file.Upgrade.Transactional);
}

/// <summary>One file as the cache knows it: its name in the directory, its stamp, the SHA-256 of its bytes, its header.</summary>
internal sealed record CachedFile(string Name, FileStamp Stamp, string ContentHash, CachedFileHeader Header);

/// <summary>The entries of a cache file by file name, and when the file system says the cache was written.</summary>
internal sealed record CacheContents(IReadOnlyDictionary<string, CachedFile> Entries, long WrittenNanoseconds)
{
    /// <summary>A file changed less than this before the cache was written may have changed again within the same tick.</summary>
    public const long RacyNanoseconds = 1_000_000_000;

    public static CacheContents Empty { get; } = new(new Dictionary<string, CachedFile>(), 0);

    /// <summary>
    /// The entry of <paramref name="name"/> when its stamp is <paramref name="stamp"/> and it is not racily clean (changed
    /// within <see cref="RacyNanoseconds"/> of the cache's own write, so a second change in the same tick would not show).
    /// </summary>
    public CachedFile? Trusted(string name, FileStamp stamp) =>
        Entries.TryGetValue(name, out var entry) && entry.Stamp == stamp && stamp.LatestNanoseconds < WrittenNanoseconds - RacyNanoseconds
            ? entry
            : null;
}

/// <summary>
/// The stat cache of one migrations directory read with one dialect, as git's index: per file its stamp
/// (<see cref="FileStamp"/>), content hash and header, so a file whose stamp is unchanged is not read. It lives in the
/// user's cache directory (<c>files/</c>), one file per directory and dialect. A cache that is missing, unreadable, cut
/// short, of another tool version or otherwise corrupt is empty (everything is read); one that cannot be written is
/// left as it was. It never fails a command.
/// </summary>
public sealed class FileStatCache
{
    private const string Format = "probeops-migrate file cache 1";
    private const string Trailer = "sha256\t";
    private readonly string _identity;

    private FileStatCache(string path, string identity)
    {
        FilePath = path;
        _identity = identity;
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary><c>$PROBEOPS_MIGRATE_CACHE_DIR/files</c>, else <c>files</c> in the user's cache directory (<see cref="UserCache"/>).</summary>
    public static string DefaultDirectory(Func<string, string?> environment) =>
        Path.Combine(UserCache.Explicit(environment) ?? UserCache.Root(environment), "files");

    /// <summary>The cache of <paramref name="migrationsDirectory"/> read with <paramref name="dialect"/>; null where file stamps cannot be read.</summary>
    public static FileStatCache? For(string cacheDirectory, string migrationsDirectory, string dialect)
    {
        ArgumentNullException.ThrowIfNull(cacheDirectory);
        if (!FileStamp.IsSupported)
            return null;
        var identity = $"{Format}\t{ToolInfo.Version}\t{dialect}\t{Escape(Path.GetFullPath(migrationsDirectory))}";
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32] + ".cache";
        return new FileStatCache(Path.Combine(cacheDirectory, name), identity);
    }

    /// <summary>The cached entries; empty when there are none that can be trusted.</summary>
    internal CacheContents Read()
    {
        // The stamp first: should another run replace the file meanwhile, its time is older than its content, which only widens the racy window.
        if (FileStamp.Of(FilePath) is not { } written)
            return CacheContents.Empty;
        try
        {
            var text = Verified(File.ReadAllBytes(FilePath));
            if (text is null)
                return CacheContents.Empty;
            var lines = text.Split('\n');
            if (lines[0] != _identity)
                return CacheContents.Empty;
            var entries = new Dictionary<string, CachedFile>(lines.Length, StringComparer.Ordinal);
            for (var i = 1; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && ParseEntry(lines[i]) is { } entry)
                    entries[entry.Name] = entry;
                else if (lines[i].Length > 0)
                    return CacheContents.Empty;
            }

            return new CacheContents(entries, written.ModifiedNanoseconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            return CacheContents.Empty;
        }
    }

    /// <summary>Replaces the cache with <paramref name="entries"/> (written whole, then renamed into place); a failure leaves it as it was.</summary>
    internal void Write(IEnumerable<CachedFile> entries)
    {
        var text = new StringBuilder(_identity).Append('\n');
        foreach (var entry in entries)
            AppendEntry(text, entry);
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var trailer = Encoding.UTF8.GetBytes(Trailer + Convert.ToHexStringLower(SHA256.HashData(body)) + "\n");
        var scratch = $"{FilePath}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            using (var stream = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(body);
                stream.Write(trailer);
            }

            File.Move(scratch, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(scratch);
        }
    }

    /// <summary>Removes the cache, so the next run reads every file.</summary>
    internal void Forget() => TryDelete(FilePath);

    /// <summary>The text before the trailer when the trailer's hash matches it; else null (cut short or changed).</summary>
    private static string? Verified(byte[] bytes)
    {
        var content = bytes.AsSpan();
        if (content.Length < 66 || content[^1] != (byte)'\n')
            return null;
        var trailerStart = content[..^1].LastIndexOf((byte)'\n') + 1;
        var trailer = Encoding.UTF8.GetString(content[trailerStart..^1]);
        var body = content[..trailerStart];
        if (!trailer.StartsWith(Trailer, StringComparison.Ordinal)
            || trailer[Trailer.Length..] != Convert.ToHexStringLower(SHA256.HashData(body)))
            return null;
        return Encoding.UTF8.GetString(body);
    }

    private static void AppendEntry(StringBuilder text, CachedFile entry)
    {
        var (stamp, header) = (entry.Stamp, entry.Header);
        var flags = (header.HasDowngrade ? "d" : "") + (header.HasBackfill ? "b" : "") + (header.UpgradeTransactional ? "t" : "") + "-";
        text.Append(Escape(entry.Name)).Append('\t')
            .Append(stamp.Size).Append('\t').Append(stamp.ModifiedNanoseconds).Append('\t').Append(stamp.ChangedNanoseconds).Append('\t')
            .Append(stamp.Inode).Append('\t').Append(stamp.Device).Append('\t')
            .Append(entry.ContentHash).Append('\t').Append(header.Checksum).Append('\t')
            .Append(header.Revision).Append('\t').Append(string.Join(',', header.Parents)).Append('\t')
            .Append(header.RevisionLine).Append('\t').Append(header.DownRevisionLine).Append('\t').Append(flags).Append('\t')
            .Append(header.Message is null ? "" : Escape(header.Message)).Append('\n');
    }

    private static CachedFile? ParseEntry(string line)
    {
        var f = line.Split('\t');
        if (f.Length != 14 || f[6].Length != 64 || f[7].Length != 64)
            return null;
        var stamp = new FileStamp(long.Parse(f[1]), long.Parse(f[2]), long.Parse(f[3]), ulong.Parse(f[4]), ulong.Parse(f[5]));
        var header = new CachedFileHeader(
            f[8], f[9].Length == 0 ? [] : f[9].Split(','), f[13].Length == 0 ? null : Unescape(f[13]), f[7], int.Parse(f[10]), int.Parse(f[11]),
            f[12].Contains('d', StringComparison.Ordinal), f[12].Contains('b', StringComparison.Ordinal), f[12].Contains('t', StringComparison.Ordinal));
        return new CachedFile(Unescape(f[0]), stamp, f[6], header);
    }

    /// <summary>Tabs, line breaks and backslashes written as <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\\</c>, so an entry stays one line of fields.</summary>
    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny('\\', '\t', '\n') < 0 && !value.Contains('\r', StringComparison.Ordinal)
            ? value
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)
                .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
            return value;
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\' && i + 1 < value.Length)
            {
                c = value[++i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', var other => other };
            }

            text.Append(c);
        }

        return text.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache file left behind is read as it is, or found corrupt and ignored.
        }
    }
}
