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

/// <summary>The entries of a cache file by file name, when the file system says the cache was written, and the SHA-256 of its body.</summary>
internal sealed record CacheContents(IReadOnlyDictionary<string, CachedFile> Entries, long WrittenNanoseconds, string BodyHash = "")
{
    /// <summary>A file changed less than this before the cache was written may have changed again within the same tick.</summary>
    public const long RacyNanoseconds = 1_000_000_000;

    public static CacheContents Empty { get; } = new(new Dictionary<string, CachedFile>(), 0);

    /// <summary>
    /// The entry of <paramref name="name"/> when its stamp is <paramref name="stamp"/> and it is not racily clean (changed
    /// within <see cref="RacyNanoseconds"/> of the cache's own write, so a second change in the same tick would not show).
    /// </summary>
    public CachedFile? Trusted(string name, FileStamp stamp) =>
        Entries.TryGetValue(name, out var entry) && entry.Stamp == stamp && NotRacy(stamp, WrittenNanoseconds) ? entry : null;

    /// <summary>Whether a file of <paramref name="stamp"/> last changed well before a cache written at <paramref name="writtenNanoseconds"/>.</summary>
    public static bool NotRacy(FileStamp stamp, long writtenNanoseconds) => stamp.LatestNanoseconds < writtenNanoseconds - RacyNanoseconds;
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
    private const string VerdictFormat = "probeops-migrate graph verdict 1";
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
        var entries = new Dictionary<string, CachedFile>(StringComparer.Ordinal);
        if (ReadBody(out var written, out var bodyHash) is not { } lines)
            return CacheContents.Empty;
        foreach (var line in lines)
        {
            if (ParseEntry(line.Span) is not { } entry)
                return CacheContents.Empty;
            entries[entry.Name] = entry;
        }

        return new CacheContents(entries, written, bodyHash);
    }

    /// <summary>
    /// The body hash of the cache when it holds exactly the files <paramref name="names"/> of <paramref name="directory"/>
    /// (sorted, as every read writes them),
    /// each with a trusted stamp (<see cref="CacheContents.Trusted"/>); else null. Reads only names and stamps: what a
    /// command needs to know that nothing changed.
    /// </summary>
    internal string? TrustedHash(string directory, string[] names)
    {
        if (ReadBody(out var written, out var bodyHash) is not { } lines || lines.Count != names.Length)
            return null;
        var stamps = FileStamp.InDirectory(directory, names);
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                var fields = new FieldReader(lines[i].Span);
                var name = Unescape(fields.Text());
                var stamp = new FileStamp(fields.Number(), fields.Number(), fields.Number(), (ulong)fields.Number(), (ulong)fields.Number());
                if (stamps[i] != stamp || name != names[i] || !CacheContents.NotRacy(stamp, written))
                    return null;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }

        return bodyHash;
    }

    /// <summary>
    /// The entry lines of a cache whose identity and trailer check out, with its modification time and body hash; null when
    /// there is none or it cannot be trusted. Parsed from the bytes as they are: 10,000 entries would otherwise cost tens of
    /// megabytes of strings.
    /// </summary>
    private List<ReadOnlyMemory<byte>>? ReadBody(out long written, out string bodyHash)
    {
        (written, bodyHash) = (0, "");

        // The stamp first: should another run replace the file meanwhile, its time is older than its content, which only widens the racy window.
        if (FileStamp.Of(FilePath) is not { } stamp)
            return null;
        try
        {
            var bytes = File.ReadAllBytes(FilePath);
            var bodyLength = Verified(bytes, out bodyHash).Length;
            var body = bytes.AsMemory(0, bodyLength);
            var identityEnd = body.Span.IndexOf((byte)'\n');
            if (identityEnd < 0 || !body.Span[..identityEnd].SequenceEqual(Encoding.UTF8.GetBytes(_identity)))
                return null;
            body = body[(identityEnd + 1)..];
            var lines = new List<ReadOnlyMemory<byte>>(body.Span.Count((byte)'\n'));
            while (body.Length > 0)
            {
                var end = body.Span.IndexOf((byte)'\n');
                lines.Add(body[..end]);
                body = body[(end + 1)..];
            }

            written = stamp.ModifiedNanoseconds;
            return lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Replaces the cache with <paramref name="entries"/> (written whole, then renamed into place); a failure leaves it as it
    /// was. Returns the SHA-256 of the body written, null when it could not be written.
    /// </summary>
    internal string? Write(IEnumerable<CachedFile> entries)
    {
        var text = new StringBuilder(_identity).Append('\n');
        foreach (var entry in entries)
            AppendEntry(text, entry);
        var body = Encoding.UTF8.GetBytes(text.ToString());
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        return WriteWhole(FilePath, body, hash) ? hash : null;
    }

    /// <summary>Removes the cache and its verdict, so the next run reads every file.</summary>
    internal void Forget()
    {
        TryDelete(FilePath);
        TryDelete(VerdictPath);
    }

    /// <summary>The verdict of the last full read, when it was reached on the cache whose body hash is <paramref name="cacheHash"/>.</summary>
    internal GraphVerdict? ReadVerdict(string cacheHash)
    {
        try
        {
            var body = Verified(File.ReadAllBytes(VerdictPath), out _);
            var lines = Encoding.UTF8.GetString(body).Split('\n');
            if (lines.Length != 6 || lines[0] != VerdictFormat || lines[1] != cacheHash || lines[3].Length != 64)
                return null;
            return new GraphVerdict(cacheHash, int.Parse(lines[2], CultureInfo.InvariantCulture), lines[3], lines[4].Length == 0 ? [] : lines[4].Split(','));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="verdict"/> beside the cache; a failure leaves none, so the next run reads the files.</summary>
    internal void WriteVerdict(GraphVerdict verdict)
    {
        var body = Encoding.UTF8.GetBytes(
            $"{VerdictFormat}\n{verdict.CacheHash}\n{verdict.Revisions.ToString(CultureInfo.InvariantCulture)}\n{verdict.Digest}\n{string.Join(',', verdict.Heads)}\n");
        if (!WriteWhole(VerdictPath, body, Convert.ToHexStringLower(SHA256.HashData(body))))
            TryDelete(VerdictPath);
    }

    private string VerdictPath => Path.ChangeExtension(FilePath, ".verdict");

    /// <summary>Writes <paramref name="body"/> and its hash trailer to a scratch file, then renames it over <paramref name="path"/>.</summary>
    private static bool WriteWhole(string path, byte[] body, string hash)
    {
        var scratch = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(body);
                stream.Write(Encoding.UTF8.GetBytes(Trailer + hash + "\n"));
            }

            File.Move(scratch, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(scratch);
            return false;
        }
    }

    /// <summary>The bytes before the trailer when the trailer's hash matches them; else none (cut short or changed).</summary>
    private static ReadOnlySpan<byte> Verified(byte[] bytes, out string hash)
    {
        hash = "";
        var content = bytes.AsSpan();
        if (content.Length < 66 || content[^1] != (byte)'\n')
            return [];
        var trailerStart = content[..^1].LastIndexOf((byte)'\n') + 1;
        var body = content[..trailerStart];
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        if (!content[trailerStart..^1].SequenceEqual(Encoding.UTF8.GetBytes(Trailer + bodyHash)))
            return [];
        hash = bodyHash;
        return body;
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
