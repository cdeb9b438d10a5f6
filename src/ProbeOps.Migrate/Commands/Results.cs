using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Commands;

/// <summary>What <c>init</c> created and what was already there.</summary>
public sealed record InitResult(string ConfigFile, string MigrationsDirectory, IReadOnlyList<string> Created, IReadOnlyList<string> Existing);

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
public sealed record StatusResult(
    string Database,
    IReadOnlyList<string> AppliedHeads,
    IReadOnlyList<AppliedRevision> Applied,
    IReadOnlyList<Revision> Pending,
    IReadOnlyList<ChecksumMismatch> Edited,
    IReadOnlyList<AppliedRevision> Unknown)
{
    /// <summary>Repeatable migrations never applied, or changed since they last were: the next upgrade applies them.</summary>
    public IReadOnlyList<PendingRepeatable> PendingRepeatables { get; init; } = [];

    public bool IsUpToDate => Pending.Count == 0 && PendingRepeatables.Count == 0 && Edited.Count == 0 && Unknown.Count == 0;
}

/// <summary>A repeatable migration the next upgrade applies: <paramref name="Changed"/> when it was applied before with another checksum.</summary>
public sealed record PendingRepeatable(RepeatableMigration Repeatable, bool Changed);

/// <summary>What an <c>upgrade</c> or <c>downgrade</c> did (or, for a dry run, would do).</summary>
public sealed record RunResult(
    string Database,
    MigrationDirection Direction,
    string Target,
    bool DryRun,
    string DeployId,
    IReadOnlyList<string> HeadsBefore,
    IReadOnlyList<string> HeadsAfter,
    IReadOnlyList<StepResult> Steps);

/// <summary>What <c>stamp</c> recorded.</summary>
public sealed record StampResult(string Database, string Target, IReadOnlyList<string> HeadsBefore, IReadOnlyList<string> HeadsAfter, int Recorded);

/// <summary>What <c>reset</c> dropped.</summary>
public sealed record ResetResult(string Database, IReadOnlyList<string> Dropped, IReadOnlyList<string> HeadsBefore, string? Backup);

/// <summary>The SQL an upgrade or downgrade would run, for <c>--sql</c>.</summary>
public sealed record ScriptResult(string Database, MigrationDirection Direction, string Target, IReadOnlyList<string> Revisions, string Sql);

/// <summary>Which revisions a run plans, for callers that want to look before they apply.</summary>
public sealed record PlanResult(MigrationPlan Plan, IReadOnlyList<string> AppliedHeads, HistoryCheck History);
