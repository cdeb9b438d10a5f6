using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>init</c> created and what was already there.</summary>
public sealed record InitResult(string ConfigFile, string MigrationsDirectory, IReadOnlyList<string> Created, IReadOnlyList<string> Existing)
{
    /// <summary>Files that existed and got lines added (a <c>.gitignore</c>).</summary>
    public IReadOnlyList<string> Updated { get; init; } = [];
}

/// <summary>A new revision file written by <c>new</c> or <c>merge</c>.</summary>
public sealed record NewRevisionResult(string Revision, string Path, IReadOnlyList<string> DownRevisions);

/// <summary>One revision as the graph commands show it.</summary>
public sealed record RevisionInfo(
    string Id,
    IReadOnlyList<string> Parents,
    IReadOnlyList<string> Children,
    string? Message,
    string? File,
    bool IsHead,
    bool IsBase,
    bool IsMerge,
    bool IsBranchPoint,
    bool IsReversible,
    bool UpgradeTransactional);

/// <summary>The applied head(s) of a database.</summary>
public sealed record CurrentResult(string Database, IReadOnlyList<string> Heads, int AppliedCount);

/// <summary>What <c>status</c> reports.</summary>
/// <param name="Backfilling">Applied revisions whose backfill has not finished; the next upgrade or deploy resumes them.</param>
public sealed record StatusResult(
    string Database,
    IReadOnlyList<string> AppliedHeads,
    IReadOnlyList<AppliedRevision> Applied,
    IReadOnlyList<Revision> Pending,
    IReadOnlyList<ChecksumMismatch> Edited,
    IReadOnlyList<AppliedRevision> Unknown,
    IReadOnlyList<BackfillStatus> Backfilling)
{
    /// <summary>Repeatable migrations never applied, or changed since they last were: the next upgrade applies them.</summary>
    public IReadOnlyList<PendingRepeatable> PendingRepeatables { get; init; } = [];

    /// <summary><c>transaction:false</c> sections a failed run left part-way, oldest first.</summary>
    public IReadOnlyList<PartialRun> Partial { get; init; } = [];

    /// <summary>Applied C# code revisions that only the library can load: listed, never an error (see <see cref="HistoryCheck.Code"/>).</summary>
    public IReadOnlyList<AppliedRevision> Code { get; init; } = [];

    public bool IsUpToDate => Pending.Count == 0 && PendingRepeatables.Count == 0 && Edited.Count == 0 && Unknown.Count == 0 && Partial.Count == 0 && Backfilling.Count == 0;

    /// <summary>
    /// What needs someone's attention, one short phrase each (<c>2 pending</c>, <c>1 edited</c>); empty when
    /// nothing does. <c>status --check</c> fails on any. New kinds of unfinished work belong here.
    /// </summary>
    public IReadOnlyList<string> NeedingAttention()
    {
        var items = new List<string>();
        Add(items, Edited.Count, "edited since applied");
        Add(items, Unknown.Count, "applied but unknown to the files");
        Add(items, Partial.Count, "left part-way by a failed run");
        Add(items, Backfilling.Count, "backfilling (backfill not finished)");
        Add(items, Pending.Count, "pending");
        Add(items, PendingRepeatables.Count, "repeatable pending");
        return items;
    }

    private static void Add(List<string> items, int count, string what)
    {
        if (count > 0)
        {
            items.Add($"{count} {what}");
        }
    }
}

/// <summary>A repeatable migration the next upgrade applies: <paramref name="Changed"/> when it was applied before with another checksum.</summary>
public sealed record PendingRepeatable(RepeatableMigration Repeatable, bool Changed);

/// <summary>What an <c>upgrade</c> or <c>downgrade</c> did (or, for a dry run, would do).</summary>
/// <param name="Backfills">The backfills the run finished or resumed (a dry run: ran once and rolled back).</param>
/// <param name="AbandonedBackfills">Reverted revisions whose backfill had not finished (a downgrade).</param>
public sealed record RunResult(
    string Database,
    MigrationDirection Direction,
    string Target,
    bool DryRun,
    string DeployId,
    IReadOnlyList<string> HeadsBefore,
    IReadOnlyList<string> HeadsAfter,
    IReadOnlyList<StepResult> Steps,
    IReadOnlyList<BackfillResult> Backfills,
    IReadOnlyList<BackfillStatus> AbandonedBackfills);

/// <summary>What <c>stamp</c> recorded.</summary>
public sealed record StampResult(string Database, string Target, IReadOnlyList<string> HeadsBefore, IReadOnlyList<string> HeadsAfter, int Recorded);

/// <summary>What <c>reset</c> dropped.</summary>
public sealed record ResetResult(string Database, IReadOnlyList<string> Dropped, IReadOnlyList<string> HeadsBefore, string? Backup);

/// <summary>The SQL an upgrade or downgrade would run, for <c>--sql</c>.</summary>
public sealed record ScriptResult(string Database, MigrationDirection Direction, string Target, IReadOnlyList<string> Revisions, string Sql);

/// <summary>Which revisions a run plans, for callers that want to look before they apply.</summary>
public sealed record PlanResult(MigrationPlan Plan, IReadOnlyList<string> AppliedHeads, HistoryCheck History);
