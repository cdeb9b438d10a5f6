namespace ProbeOps.Migrate.Providers;

/// <summary>Serialises migration runs against one database (SPEC §6 step 4).</summary>
public interface IMigrationLock
{
    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="MigrateException"/>
    /// (LockTimeout) after that. Disposing the result releases it.
    /// </summary>
    Task<IAsyncDisposable> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken);
}
