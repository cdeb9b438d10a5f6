using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint;

/// <summary>
/// The statements that share one transaction: a transactional section, or in single-transaction mode every
/// consecutive transactional section of the run (a <c>transaction:false</c> section ends it). Locks taken in it are
/// held until it commits; enum values and NOT VALID constraints added in it are not committed yet.
/// </summary>
internal sealed class TransactionGroup
{
    private readonly List<HeldLock> _locks = [];
    private readonly Dictionary<(ObjectName Table, string Constraint), (StatementSite Site, LockMode Mode)> _notValid = [];
    private readonly Dictionary<string, (ObjectName Type, StatementSite Site)> _enumValues = new(StringComparer.Ordinal);
    private readonly HashSet<ObjectName> _enumsCreated = [];

    public bool HasEnumValues => _enumValues.Count > 0;

    public (StatementSite Site, LockMode Mode)? NotValidAddedBy(ObjectName table, string constraint) =>
        _notValid.TryGetValue((table, constraint), out var added) ? added : null;

    public (ObjectName Type, StatementSite Site)? EnumValueAddedBy(string value) =>
        _enumValues.TryGetValue(value, out var added) ? added : null;

    /// <summary>
    /// After the rules ran on <paramref name="check"/>: reports PL171 for earlier strong locks the statement's long work
    /// keeps held, then records what the statement leaves held or uncommitted.
    /// </summary>
    public void Record(StatementCheck check, FindingSink sink)
    {
        if (check.LongWork is { } work)
            ReportHeldLocks(check, work, sink);
        foreach (var (table, mode) in Locks(check))
        {
            if (LockModes.BlocksWrites(mode) && !check.IsNew(table))
                _locks.Add(new HeldLock(check.Site, table, mode));
        }

        switch (check.Statement)
        {
            case AlterTable alter:
                foreach (var add in alter.Actions.OfType<AddConstraint>().Where(a => a.NotValid && a.Name is not null))
                    _notValid[(alter.Table, add.Name!)] = (check.Site, add.Lock);
                break;
            case CreateEnum create:
                _enumsCreated.Add(create.Type);
                break;
            case AddEnumValue add when !_enumsCreated.Contains(add.Type):
                _enumValues[add.Value] = (add.Type, check.Site);
                break;
        }
    }

    private void ReportHeldLocks(StatementCheck check, string work, FindingSink sink)
    {
        foreach (var held in _locks)
        {
            if (held.Reported || held.Site == check.LockNamedBy || (held.Site.Revision == check.Site.Revision && Locks(check).Any(l => l.Table == held.Table)))
                continue;
            held.Reported = true;
            var (name, blocks) = LockModes.Describe(held.Mode);
            sink.Report(
                held.Site,
                LintRules.LockHeldByRun,
                $"This statement takes {name} on {held.Table}, held until the transaction commits; a later statement in the same transaction, {check.Site.Where} ({work}), keeps it held: {blocks} of {held.Table} wait for that statement too.",
                "Run the long statement in a transaction of its own: put it in a `transaction:false` section (which ends a shared single transaction), or deploy the two migrations separately.",
                held.Mode);
        }
    }

    private static IEnumerable<(ObjectName Table, LockMode Mode)> Locks(StatementCheck check)
    {
        switch (check.Statement)
        {
            case AlterTable alter:
                yield return (alter.Table, alter.Lock);
                foreach (var add in alter.Actions.OfType<AddConstraint>())
                {
                    if (add.References is { } referenced)
                        yield return (referenced, LockMode.ShareRowExclusive);
                }

                break;
            case CreateIndex { Concurrently: false } create:
                yield return (create.Table, LockMode.Share);
                break;
            case DropTable drop:
                foreach (var table in drop.Tables)
                    yield return (table, LockMode.AccessExclusive);
                break;
            case Truncate truncate:
                foreach (var table in truncate.Tables)
                    yield return (table, LockMode.AccessExclusive);
                break;
            case TableLock locked:
                foreach (var table in locked.Tables)
                    yield return (table, locked.Mode);
                break;
            case Cluster cluster:
                yield return (cluster.Table, LockMode.AccessExclusive);
                break;
        }
    }

    private sealed class HeldLock(StatementSite site, ObjectName table, LockMode mode)
    {
        public StatementSite Site { get; } = site;

        public ObjectName Table { get; } = table;

        public LockMode Mode { get; } = mode;

        public bool Reported { get; set; }
    }
}
