namespace ProbeOps.Migrate.Providers;

/// <summary>
/// Serialises migration runs against one database and history schema (SPEC §6 step 4): runs whose history
/// tables live in different schemas of one database (tenant schemas) do not wait for each other.
/// </summary>
public interface IMigrationLock
{
    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="MigrateException"/>
    /// (LockTimeout) after that. Disposing the result releases it.
    /// </summary>
    Task<IAsyncDisposable> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>
    /// What the last acquisition is worth telling the user, e.g. that it took over the expired lock row of a
    /// run that died; null when there is nothing to tell.
    /// </summary>
    string? Notice => null;
}
