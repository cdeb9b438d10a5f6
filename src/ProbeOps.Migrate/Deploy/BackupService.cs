using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>A backup on disk, verified, with its checksum file beside it.</summary>
/// <param name="Removed">Every file retention deleted (older backups of the same database), in full.</param>
public sealed record BackupInfo(string Path, string Sha256, long Bytes, string ChecksumFile, TimeSpan Elapsed, IReadOnlyList<string> Removed);

/// <summary>
/// Names, creates, verifies and prunes backups (SPEC §8); the provider's <see cref="IBackupTool"/>
/// does the engine-specific part. The dump streams through SHA-256 into a file created with mode
/// 0600 before any byte is written; the tool proves it whole (as it is written, or by reading it back),
/// and only then does it get its checksum file and its <see cref="BackupManifest"/>. Whatever fails, the files this run created go.
/// <paramref name="progress"/> hears the bytes of the dump written so far.
/// </summary>
public sealed class BackupService(IBackupTool tool, TimeProvider time, Action<long>? progress = null)
{
    public const string Extension = ".dump";
    public const string ChecksumExtension = ".sha256";

    /// <summary>Takes a backup of <paramref name="target"/> into <paramref name="directory"/>; keeps the newest <paramref name="keep"/> of this database when given.</summary>
    public async Task<BackupInfo> CreateAsync(DatabaseTarget target, string directory, string revisionLabel, int? keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        CreateDirectory(directory, $"the backup directory {directory}");
        var at = time.GetUtcNow();
        var path = FreePath(directory, target.DatabaseName, at, revisionLabel);
        var record = new BackupManifest(target.Provider, target.DatabaseName, at, revisionLabel, Path.GetFileName(path), "", 0);
        var info = await WriteAsync(target, path, record, started, cancellationToken);
        var removed = keep is int n ? BackupRetention.Prune(directory, record, n) : [];
        return info with { Removed = removed };
    }

    /// <summary>Takes a backup into exactly <paramref name="path"/>, which must not exist yet. Retention never touches it.</summary>
    public async Task<BackupInfo> CreateAtAsync(DatabaseTarget target, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        CreateDirectory(Path.GetDirectoryName(path)!, $"the directory of {path}");
        return await WriteAsync(target, path, record: null, started, cancellationToken);
    }

    private async Task<BackupInfo> WriteAsync(DatabaseTarget target, string path, BackupManifest? record, long started, CancellationToken cancellationToken)
    {
        HashingFileStream dump;
        try
        {
            dump = HashingFileStream.CreateNew(path, progress);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot create the backup file {path}: {Reason(ex, path)}. Nothing was changed.");
        }

        var checksumFile = path + ChecksumExtension;
        var writing = path;
        try
        {
            string sha;
            long bytes;
            bool verified;
            await using (dump)
            {
                verified = await tool.BackupAsync(target, dump, path, cancellationToken);
                (sha, bytes) = await dump.CompleteAsync(cancellationToken);
            }

            if (!verified)
            {
                await tool.VerifyAsync(path, cancellationToken);
            }

            writing = checksumFile;
            BackupFiles.WritePrivate(checksumFile, s => s.Write(Encoding.UTF8.GetBytes($"{sha}  {Path.GetFileName(path)}\n")));
            if (record is not null)
            {
                writing = BackupManifest.PathFor(path);
                (record with { Sha256 = sha, Bytes = bytes }).Write(writing);
            }

            return new BackupInfo(path, sha, bytes, checksumFile, Stopwatch.GetElapsedTime(started), []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RemoveWritten(path, checksumFile, writing);
            throw new MigrateException(
                FailureKind.BackupFailed,
                $"Could not write {writing}: {BackupFiles.Describe(ex)}. The backup was not taken and its partial files were removed; nothing was changed.",
                ex);
        }
        catch
        {
            // A half-written backup must never be mistaken for a good one.
            RemoveWritten(path, checksumFile, writing);
            throw;
        }
    }

    /// <summary>The dump, and its checksum file only once this run got as far as creating it (one that was there before is not ours).</summary>
    private static void RemoveWritten(string path, string checksumFile, string writing)
    {
        BackupFiles.TryDelete(path);
        if (!string.Equals(writing, path, StringComparison.Ordinal) && !string.Equals(writing, checksumFile, StringComparison.Ordinal))
        {
            BackupFiles.TryDelete(checksumFile);
        }
    }

    /// <summary>
    /// Checks the file against its checksum (which must exist), then restores it over the session's database
    /// (see <see cref="IBackupTool.RestoreAsync"/>, which reads it whole before anything is committed).
    /// </summary>
    /// <param name="checksumChecked">The check of <see cref="CheckFileAsync"/>, started earlier (while connecting); null to run it here.</param>
    public async Task RestoreAsync(IDatabaseSession session, string path, Task? checksumChecked, CancellationToken cancellationToken)
    {
        await (checksumChecked ?? CheckFileAsync(path, cancellationToken));
        await tool.RestoreAsync(session, path, cancellationToken);
    }

    /// <summary>The file exists and matches its checksum file (see <see cref="RequireChecksumAsync"/>).</summary>
    public static async Task CheckFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Backup file not found: {path}.");
        }

        await RequireChecksumAsync(path, cancellationToken);
    }

    /// <summary>
    /// Proves <paramref name="path"/> is the file that was verified when it was taken: its SHA-256
    /// equals the one in its checksum file. A missing checksum file is a refusal, never a skipped check.
    /// </summary>
    public static async Task RequireChecksumAsync(string path, CancellationToken cancellationToken)
    {
        var checksumFile = path + ChecksumExtension;
        string recorded;
        string actual;
        try
        {
            if (!File.Exists(checksumFile))
            {
                throw new MigrateException(
                    FailureKind.BackupFailed,
                    $"{path} has no checksum file {checksumFile}, so it cannot be proven to be the backup that was verified: nothing was restored. If you know the file is intact, write one with: sha256sum {path} > {checksumFile}");
            }

            recorded = (await File.ReadAllTextAsync(checksumFile, cancellationToken)).Split(' ', 2)[0].Trim();
            actual = await Sha256Async(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot read {path} or its checksum file: {BackupFiles.Describe(ex)}. Nothing was restored.", ex);
        }

        if (!string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new MigrateException(FailureKind.BackupFailed, $"{path} does not match its checksum in {checksumFile}: the file is damaged or was changed. Nothing was restored.");
        }
    }

    /// <summary><c>&lt;database&gt;_&lt;UTC yyyyMMddTHHmmssZ&gt;_&lt;revision or base&gt;.dump</c>.</summary>
    public static string FileName(string databaseName, DateTimeOffset at, string revisionLabel) =>
        $"{Safe(databaseName)}_{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}_{Safe(revisionLabel)}{Extension}";

    /// <summary>
    /// The backup's path in <paramref name="directory"/>. Names carry whole seconds, so a second backup of
    /// the same database and revision within one second (a quick script, a fast deploy after a reset)
    /// gets <c>-2</c>, <c>-3</c>, ... after the label instead of failing on the first one's name.
    /// </summary>
    private static string FreePath(string directory, string databaseName, DateTimeOffset at, string revisionLabel)
    {
        for (var n = 1; ; n++)
        {
            var label = n == 1 ? revisionLabel : $"{revisionLabel}-{n}";
            var name = FileName(databaseName, at, label);
            if (!Directory.EnumerateFiles(directory, Path.GetFileNameWithoutExtension(name) + ".*").Any())
            {
                return Path.Combine(directory, name);
            }
        }
    }

    /// <summary>
    /// The label of a set of applied heads: the head, a few joined by <c>+</c>, or <c>base</c>. Many heads
    /// give the first and a count, so the file name stays within the file system's limit.
    /// </summary>
    public static string RevisionLabel(IReadOnlyList<string> heads) => heads.Count switch
    {
        0 => "base",
        <= 3 => string.Join("+", heads),
        _ => $"{heads[0]}+{heads.Count - 1}-more",
    };

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private static void CreateDirectory(string directory, string what)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot create {what}: {Reason(ex, directory)}. Nothing was changed.");
        }
    }

    /// <summary>Why a path could not be created: a file in the way, else the failure in plain words.</summary>
    private static string Reason(Exception ex, string path)
    {
        if (File.Exists(path))
        {
            return "a file of that name exists already";
        }

        for (var parent = Path.GetDirectoryName(Path.GetFullPath(path)); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"{parent} is a file, not a directory";
            }

            if (Directory.Exists(parent))
            {
                break;
            }
        }

        return BackupFiles.Describe(ex);
    }

    private static string Safe(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not ('_' or '-' or '.' or '+'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
