using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// How a run plans around what the server lacks (docs/distributed.md). Without transactional DDL
/// (CockroachDB, YugabyteDB unless switched on) all-or-nothing, the default promise of SPEC §6 step 9,
/// cannot be kept, so the run is refused until the user accepts one migration at a time. Without
/// <c>CONCURRENTLY</c> the sections written for it are noted.
/// </summary>
public static class CapabilityPlanning
{
    /// <summary>
    /// Throws (exit 2) when <paramref name="options"/> rely on rolling DDL back and the server cannot;
    /// returns the warning of a run that goes ahead one migration at a time on such a server, else null.
    /// </summary>
    public static string? Check(ProviderCapabilities capabilities, RunOptions options, string database)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentNullException.ThrowIfNull(options);
        if (capabilities.TransactionalDdl)
        {
            return null;
        }

        if (options.DryRun)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"{database} cannot roll back DDL, and a dry run is a run rolled back: nothing was changed. Rehearse on a copy of the database instead.");
        }

        if (options.Mode == TransactionMode.Single)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"{database} cannot roll back DDL, so the pending migrations cannot run as one all-or-nothing transaction: nothing was changed. " +
                "Run with --transaction per-migration to apply and record each migration on its own (see docs/distributed.md).");
        }

        return $"{database} cannot roll back DDL: a migration that fails may stay partly applied; restore the backup or repair it by hand.";
    }

    /// <summary>A note when the plan has sections outside a transaction (written for <c>CONCURRENTLY</c>) and the server has no such keyword of its own.</summary>
    public static string? ConcurrentNote(ProviderCapabilities capabilities, MigrationPlan plan, string database)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        if (!capabilities.ServerProcess || capabilities.ConcurrentIndexes || MigrationRunner.Units(plan).All(u => u.Transactional))
        {
            return null;
        }

        return $"{database} has no CREATE INDEX CONCURRENTLY of its own: the sections outside a transaction run as written, " +
               "and the server builds indexes by its own rules (see docs/distributed.md).";
    }
}
