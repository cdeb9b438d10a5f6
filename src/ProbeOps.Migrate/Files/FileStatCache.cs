using System.Globalization;
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
            // Parsed from the bytes as they are: 10,000 entries would otherwise cost tens of megabytes of strings.
            var bytes = File.ReadAllBytes(FilePath);
            var body = Verified(bytes);
            var identityEnd = body.IndexOf((byte)'\n');
            if (identityEnd < 0 || !body[..identityEnd].SequenceEqual(Encoding.UTF8.GetBytes(_identity)))
                return CacheContents.Empty;
            body = body[(identityEnd + 1)..];
            var entries = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
            while (body.Length > 0)
            {
                var end = body.IndexOf((byte)'\n');
                if (ParseEntry(body[..end]) is not { } entry)
                    return CacheContents.Empty;
                entries[entry.Name] = entry;
                body = body[(end + 1)..];
            }

            return new CacheContents(entries, written.ModifiedNanoseconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or ArgumentException)
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

    /// <summary>The bytes before the trailer when the trailer's hash matches them; else none (cut short or changed).</summary>
    private static ReadOnlySpan<byte> Verified(byte[] bytes)
    {
        var content = bytes.AsSpan();
        if (content.Length < 66 || content[^1] != (byte)'\n')
            return [];
        var trailerStart = content[..^1].LastIndexOf((byte)'\n') + 1;
        var body = content[..trailerStart];
        var expected = Encoding.UTF8.GetBytes(Trailer + Convert.ToHexStringLower(SHA256.HashData(body)));
        return content[trailerStart..^1].SequenceEqual(expected) ? body : [];
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

    private static CachedFile? ParseEntry(ReadOnlySpan<byte> line)
    {
        if (line.Count((byte)'\t') != 13)
            return null;
        var fields = new FieldReader(line);
        var name = Unescape(fields.Text());
        var stamp = new FileStamp(fields.Number(), fields.Number(), fields.Number(), (ulong)fields.Number(), (ulong)fields.Number());
        var (contentHash, checksum, revision, parents) = (fields.Text(), fields.Text(), fields.Text(), fields.Text());
        var (revisionLine, downRevisionLine, flags, message) = ((int)fields.Number(), (int)fields.Number(), fields.Text(), fields.Text());
        if (contentHash.Length != 64 || checksum.Length != 64)
            return null;
        var header = new CachedFileHeader(
            revision, parents.Length == 0 ? [] : parents.Split(','), message.Length == 0 ? null : Unescape(message), checksum, revisionLine, downRevisionLine,
            flags.Contains('d', StringComparison.Ordinal), flags.Contains('b', StringComparison.Ordinal), flags.Contains('t', StringComparison.Ordinal));
        return new CachedFile(name, stamp, contentHash, header);
    }

    /// <summary>The tab-separated fields of one entry, in order.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> line)
    {
        private ReadOnlySpan<byte> _rest = line;

        public string Text() => Encoding.UTF8.GetString(Next());

        // Inode and device numbers fit a long: the kernel's are 64-bit, written here as their unsigned value.
        public long Number() => (long)ulong.Parse(Next(), CultureInfo.InvariantCulture);

        private ReadOnlySpan<byte> Next()
        {
            var tab = _rest.IndexOf((byte)'\t');
            var field = tab < 0 ? _rest : _rest[..tab];
            _rest = tab < 0 ? [] : _rest[(tab + 1)..];
            return field;
        }
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
