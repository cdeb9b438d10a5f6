namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The settings that size a server's shared lock table: it holds
/// <c>max_locks_per_transaction × (max_connections + max_prepared_transactions)</c> locks, shared by every session.
/// </summary>
public sealed record LockTableSize(int MaxLocksPerTransaction, int MaxConnections, int MaxPreparedTransactions)
{
    public long Capacity => (long)MaxLocksPerTransaction * Slots;

    /// <summary>The sessions the table is sized for.</summary>
    public int Slots => MaxConnections + MaxPreparedTransactions;

    /// <summary>The <c>max_locks_per_transaction</c> at which one transaction may take <paramref name="locks"/> with half the table left for other sessions.</summary>
    public long MaxLocksPerTransactionFor(long locks) => Math.Max(MaxLocksPerTransaction, (2 * locks + Slots - 1) / Slots);

    public override string ToString() =>
        $"max_locks_per_transaction {MaxLocksPerTransaction} × (max_connections {MaxConnections} + max_prepared_transactions {MaxPreparedTransactions}) = {Capacity}";
}
