using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>A backup on disk, verified, with its checksum file beside it.</summary>
public sealed record BackupInfo(string Path, string Sha256, long Bytes, string ChecksumFile, TimeSpan Elapsed, IReadOnlyList<string> Removed);

/// <summary>
/// Names, creates, verifies and prunes backups (SPEC §8); the provider's <see cref="IBackupTool"/>
/// does the engine-specific part. A file is created with mode 0600 before any byte is written, so
/// a backup is never readable by others, not even while it is being written.
/// </summary>
public sealed class BackupService(IBackupTool tool, TimeProvider time)
{
    public const string Extension = ".dump";
    public const string ChecksumExtension = ".sha256";

    /// <summary>Takes a backup of <paramref name="target"/> into <paramref name="directory"/>; keeps the newest <paramref name="keep"/> of this database when given.</summary>
    public async Task<BackupInfo> CreateAsync(DatabaseTarget target, string directory, string revisionLabel, int? keep, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot create the backup directory {directory}: {Reason(ex, directory)}. Nothing was changed.");
        }

        var path = Path.Combine(directory, FileName(target.DatabaseName, time.GetUtcNow(), revisionLabel));
        var info = await WriteAsync(target, path, started, cancellationToken);
        var removed = keep is int n ? Prune(directory, target.DatabaseName, n) : [];
        return info with { Removed = removed };
    }

    /// <summary>Takes a backup into exactly <paramref name="path"/>, which must not exist yet.</summary>
    public async Task<BackupInfo> CreateAtAsync(DatabaseTarget target, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot create the directory of {path}: {Reason(ex, Path.GetDirectoryName(path)!)}. Nothing was changed.");
        }

        return await WriteAsync(target, path, started, cancellationToken);
    }

    private async Task<BackupInfo> WriteAsync(DatabaseTarget target, string path, long started, CancellationToken cancellationToken)
    {
        try
        {
            CreateEmptyPrivateFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot create the backup file {path}: {Reason(ex, path)}. Nothing was changed.");
        }

        try
        {
            await tool.BackupAsync(target, path, cancellationToken);
            await tool.VerifyAsync(path, cancellationToken);
        }
        catch
        {
            // A half-written backup must never be mistaken for a good one.
            TryDelete(path);
            throw;
        }

        var sha = await Sha256Async(path, cancellationToken);
        var checksumFile = path + ChecksumExtension;
        await File.WriteAllTextAsync(checksumFile, $"{sha}  {Path.GetFileName(path)}\n", cancellationToken);
        return new BackupInfo(path, sha, new FileInfo(path).Length, checksumFile, Stopwatch.GetElapsedTime(started), []);
    }

    /// <summary>Checks the file against its checksum, then restores it over <paramref name="target"/>.</summary>
    public async Task RestoreAsync(DatabaseTarget target, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Backup file not found: {path}.");
        }

        var checksumFile = path + ChecksumExtension;
        if (File.Exists(checksumFile))
        {
            var recorded = (await File.ReadAllTextAsync(checksumFile, cancellationToken)).Split(' ', 2)[0].Trim();
            var actual = await Sha256Async(path, cancellationToken);
            if (!string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new MigrateException(FailureKind.BackupFailed, $"{path} does not match its checksum in {checksumFile}: the file is damaged or was changed. Nothing was restored.");
            }
        }

        await tool.VerifyAsync(path, cancellationToken);
        await tool.RestoreAsync(target, path, cancellationToken);
    }

    /// <summary><c>&lt;database&gt;_&lt;UTC yyyyMMddTHHmmssZ&gt;_&lt;revision or base&gt;.dump</c>.</summary>
    public static string FileName(string databaseName, DateTimeOffset at, string revisionLabel) =>
        $"{Safe(databaseName)}_{at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}_{Safe(revisionLabel)}{Extension}";

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

    private static void CreateEmptyPrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var _ = new FileStream(path, options);
    }

    private static List<string> Prune(string directory, string databaseName, int keep)
    {
        var prefix = Safe(databaseName) + "_";
        var backups = Directory.GetFiles(directory, prefix + "*" + Extension)
            .Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToList();
        var removed = new List<string>();
        foreach (var old in backups.Skip(Math.Max(keep, 1)))
        {
            TryDelete(old);
            TryDelete(old + ChecksumExtension);
            removed.Add(old);
        }

        return removed;
    }

    /// <summary>
    /// Why a path could not be created, in words of our own: the runtime's messages may be bare
    /// resource keys when the tool is trimmed for start-up time.
    /// </summary>
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

        return ex is UnauthorizedAccessException ? "permission denied" : $"{ex.GetType().Name} ({ex.Message.TrimEnd('.')})";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the operator; the failure that brought us here matters more.
        }
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
