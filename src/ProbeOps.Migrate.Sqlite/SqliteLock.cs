using System.Globalization;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Serialises migration runs on one database file with an exclusive lock on a side file,
/// <c>&lt;database&gt;.migrate-lock</c>, rather than a SQLite write transaction: SQLite's write lock ends
/// with each commit, and a run that commits per migration must stay serialised between them.
/// </summary>
/// <remarks>
/// The side file is opened with <see cref="FileShare.None"/>. On Windows that is a sharing mode; on Linux
/// and macOS .NET takes an exclusive <c>flock</c> on the open file description, which another process
/// and another handle in the same process both respect (so two sessions in one process serialise too).
/// The lock dies with its handle, so a crashed run never leaves a stale lock; the file itself is kept
/// (deleting it would let a waiter lock an unlinked file while a newcomer creates a fresh one).
/// <c>flock</c> is advisory and may be a no-op on some network file systems. An in-memory database is
/// private to its connection, so its lock does nothing.
/// </remarks>
internal sealed class SqliteLock(SqliteConnectionSettings settings, TimeProvider time) : IMigrationLock
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    private FileStream? _held;

    public async Task<IAsyncDisposable> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (settings.LockFilePath is not { } path)
        {
            return Released.Instance;
        }

        if (_held is not null)
        {
            throw new InvalidOperationException("This session already holds the migration lock.");
        }

        if (FileLockingDisabled())
        {
            throw new MigrateException(
                FailureKind.Usage,
                "File locking is disabled (DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so concurrent migration runs on a SQLite file cannot be serialised: unset it.");
        }

        var started = time.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryOpen(path) is { } stream)
            {
                _held = stream;
                return new Holder(this, stream);
            }

            var remaining = wait - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new MigrateException(
                    FailureKind.LockTimeout,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"Another migration run holds {path}; waited {wait.TotalSeconds:0.###} s. Let it finish, or wait longer with --wait-for-lock."));
            }

            // Jitter keeps several waiters from retrying in lockstep.
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(delay.TotalMilliseconds / 4) + 1));
            var sleep = delay + jitter;
            await Task.Delay(sleep < remaining ? sleep : remaining, time, cancellationToken);
            delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
        }
    }

    /// <summary>Releases the lock if it is still held (the session is closing).</summary>
    internal void ReleaseHeld()
    {
        var held = Interlocked.Exchange(ref _held, null);
        held?.Dispose();
    }

    /// <summary>Opens the side file exclusively; null when another holder has it.</summary>
    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex) when (ex is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
        {
            // EWOULDBLOCK from flock on Unix, a sharing violation on Windows: held by someone else.
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new MigrateException(
                FailureKind.DatabaseUnreachable,
                $"Cannot create the migration lock file {path}: {ex.Message}",
                ex);
        }
    }

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled))
        {
            return disabled;
        }

        var value = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        return value is not null
            && (value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Holder(SqliteLock owner, FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Interlocked.CompareExchange(ref owner._held, null, stream);
            stream.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Released : IAsyncDisposable
    {
        public static readonly Released Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
