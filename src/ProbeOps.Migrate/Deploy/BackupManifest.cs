using System.Text.Json;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The record of one backup the tool took into a backup directory, kept beside it as
/// <c>&lt;stem&gt;.backup.json</c>: which database it holds, when it was taken, and its checksum.
/// Retention reads these records, never file names: a file without one is never pruned.
/// </summary>
/// <param name="Provider">The provider of the database (<c>postgresql</c>, <c>sqlite</c>).</param>
/// <param name="Database">The database name exactly as given, before it was made safe for a file name.</param>
/// <param name="CreatedAt">When the backup was taken, to the tick: the order retention keeps.</param>
/// <param name="Revision">The revision label in the file name.</param>
/// <param name="File">The dump's file name, in the same directory.</param>
public sealed record BackupManifest(string Provider, string Database, DateTimeOffset CreatedAt, string Revision, string File, string Sha256, long Bytes)
{
    public const string Extension = ".backup.json";

    private const int Format = 1;

    /// <summary>The dump's name without <c>.dump</c>: every file of the backup is named <c>&lt;stem&gt;.*</c>.</summary>
    public string Stem => StemOf(File);

    public static string StemOf(string dumpFileName) =>
        dumpFileName.EndsWith(BackupService.Extension, StringComparison.Ordinal) ? dumpFileName[..^BackupService.Extension.Length] : dumpFileName;

    /// <summary>The record's path for the dump at <paramref name="dumpPath"/>.</summary>
    public static string PathFor(string dumpPath) =>
        Path.Combine(Path.GetDirectoryName(dumpPath) ?? "", StemOf(Path.GetFileName(dumpPath)) + Extension);

    /// <summary>Writes the record to <paramref name="path"/> (which must not exist), through to the disk.</summary>
    public void Write(string path) => BackupFiles.WritePrivate(path, stream =>
    {
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("tool", $"{ToolInfo.Name} {ToolInfo.Version}");
            w.WriteString("provider", Provider);
            w.WriteString("database", Database);
            w.WriteString("createdAt", CreatedAt);
            w.WriteString("revision", Revision);
            w.WriteString("file", File);
            w.WriteString("sha256", Sha256);
            w.WriteNumber("bytes", Bytes);
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    });

    /// <summary>
    /// The record at <paramref name="path"/>; null when it cannot be read, is not one of ours, or does
    /// not name the dump its own name says (a record never speaks for another backup's files).
    /// </summary>
    public static BackupManifest? TryRead(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("format", out var format) || !format.TryGetInt32(out var version) || version != Format ||
                Text(root, "provider") is not { } provider || Text(root, "database") is not { } database ||
                Text(root, "revision") is not { } revision || Text(root, "file") is not { } file || Text(root, "sha256") is not { } sha256 ||
                !root.TryGetProperty("createdAt", out var createdAt) || !createdAt.TryGetDateTimeOffset(out var at) ||
                !root.TryGetProperty("bytes", out var bytes) || !bytes.TryGetInt64(out var length))
            {
                return null;
            }

            var names = file.EndsWith(BackupService.Extension, StringComparison.Ordinal) &&
                        string.Equals(Path.GetFileName(file), file, StringComparison.Ordinal) &&
                        string.Equals(Path.GetFileName(path), StemOf(file) + Extension, StringComparison.Ordinal);
            return names ? new BackupManifest(provider, database, at, revision, file, sha256, length) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
