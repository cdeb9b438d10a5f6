namespace ProbeOps.Migrate.Providers;

/// <summary>Which kind of migration lock a session takes (docs/decisions/0027-lock-row-fallback.md).</summary>
public enum MigrationLockKind
{
    /// <summary>The advisory lock where the server has working advisory locks, the lock row otherwise.</summary>
    Auto,

    /// <summary>The advisory lock; a server without working advisory locks is refused.</summary>
    Advisory,

    /// <summary>The lock row with a lease, whatever the server offers.</summary>
    Row,
}

/// <summary>How the migration lock is taken and, for the lock row, how long its lease lasts.</summary>
/// <param name="Kind">Which lock; <see cref="MigrationLockKind.Auto"/> plans around the server's capabilities.</param>
/// <param name="Lease">How long a lock row stays valid without renewal: a crashed holder's lock is free after this.</param>
/// <param name="Renewal">How often a live run renews its lease; well under <paramref name="Lease"/>, so a slow renewal does not lose it.</param>
public sealed record MigrationLockOptions(MigrationLockKind Kind, TimeSpan Lease, TimeSpan Renewal)
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    public static MigrationLockOptions Default { get; } = ForLease(MigrationLockKind.Auto, DefaultLease);

    /// <summary>Options with a lease renewed three times per lease period.</summary>
    public static MigrationLockOptions ForLease(MigrationLockKind kind, TimeSpan lease) => new(kind, lease, lease / 3);
}
