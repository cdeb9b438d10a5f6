using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Operations;

/// <summary>What a verb's body works with: an open session (locked when the verb asked), the graph, the history and the audit log.</summary>
public sealed class OperationScope(
    MigrationContext context,
    IDatabaseSession session,
    RevisionGraph? graph,
    IReadOnlyList<AppliedRevision> applied,
    RunOptions options)
{
    private readonly HistoryCheck? _history = graph is null ? null : HistoryCheck.Compare(graph, applied);

    public MigrationContext Context => context;

    public IDatabaseSession Session => session;

    /// <summary>The masked database, safe to show.</summary>
    public string Database => session.Target.Display;

    public RevisionGraph Graph => graph ?? throw new InvalidOperationException("This verb did not ask for the migrations.");

    /// <summary>The history as read (empty when the verb did not ask for it).</summary>
    public IReadOnlyList<AppliedRevision> Applied => applied;

    /// <summary>The history compared with the files.</summary>
    public HistoryCheck History => _history ?? throw new InvalidOperationException("This verb did not ask for the migrations.");

    /// <summary>Every recorded application of a repeatable migration (empty when the verb did not ask for the history).</summary>
    public IReadOnlyList<AppliedRepeatable> Repeatables { get; init; } = [];

    /// <summary>The plan to <paramref name="target"/> from the applied revisions, with the repeatables pending after it.</summary>
    public MigrationPlan Plan(MigrationDirection direction, Target target) =>
        Planner.Plan(direction, Graph, History.AppliedIds, target).WithRepeatables(Graph, History.AppliedIds, AppliedRepeatable.LastChecksums(Repeatables));

    /// <summary>This run's options: its deploy id and actor, one transaction, no dry run.</summary>
    public RunOptions Options => options;

    public RunAudit Audit { get; } = context.AuditFor(session, options.DeployId, context.Observer.Notice);

    /// <summary>The applied heads as the files see them, then applied revisions the files do not know.</summary>
    public IReadOnlyList<string> AppliedHeads() => History.AppliedHeads(Graph);

    /// <summary>The backfilling revisions among <paramref name="rows"/>, with how many statements their files' backfills hold.</summary>
    public IReadOnlyList<BackfillStatus> BackfillStatuses(IEnumerable<AppliedRevision> rows) =>
    [
        .. rows.Where(r => r.IsBackfilling).Select(r => new BackfillStatus(
            r.Revision,
            r.BackfillStatement!.Value,
            Graph.Contains(r.Revision) ? Graph[r.Revision].File?.Backfill?.Statements.Count ?? 0 : 0)),
    ];
}
