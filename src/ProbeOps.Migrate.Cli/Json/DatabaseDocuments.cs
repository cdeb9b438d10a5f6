using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Cli.Json;

// The payloads of the commands that read or change a database (docs/json.md).

/// <summary><c>current --json</c>.</summary>
public sealed record CurrentDocument(string Database, IReadOnlyList<string> Heads, int Applied) : CommandDocument;

/// <summary><c>status --json</c>.</summary>
public sealed record StatusDocument(
    string? Environment,
    bool Protected,
    string Database,
    bool UpToDate,
    IReadOnlyList<string> Heads,
    IReadOnlyList<AppliedDocument> Applied,
    IReadOnlyList<BackfillingDocument> Backfilling,
    IReadOnlyList<string> Pending,
    IReadOnlyList<PendingRepeatableDocument> PendingRepeatables,
    IReadOnlyList<EditedDocument> Edited,
    IReadOnlyList<string> Unknown,
    IReadOnlyList<string> Code,
    IReadOnlyList<PartialDocument> Partial) : CommandDocument;

/// <summary>An applied revision: <c>state</c> is <c>applied</c> or <c>backfilling</c>.</summary>
public sealed record AppliedDocument(string Revision, DateTimeOffset AppliedAt, string AppliedBy, long ExecutionMs, string DeployId, string State);

/// <summary>A revision whose backfill has not finished: the statement the next run resumes at, of how many.</summary>
public sealed record BackfillingDocument(string Revision, int NextStatement, int Statements);

/// <summary>A repeatable migration the next upgrade applies; <c>changed</c> when it was applied before with another checksum.</summary>
public sealed record PendingRepeatableDocument(string Name, string File, string Checksum, bool Changed);

/// <summary>An applied revision whose file changed since.</summary>
public sealed record EditedDocument(string Revision, string File, string RecordedChecksum, string CurrentChecksum);

/// <summary>A <c>transaction:false</c> section a failed run left part-way.</summary>
public sealed record PartialDocument(string Revision, string Operation, string DeployId, DateTimeOffset At, string Detail);

/// <summary><c>upgrade --json</c> and <c>downgrade --json</c>.</summary>
public sealed record RunDocument(
    string Database,
    string Direction,
    string Target,
    bool DryRun,
    string DeployId,
    IReadOnlyList<string> HeadsBefore,
    IReadOnlyList<string> HeadsAfter,
    IReadOnlyList<StepDocument> Steps,
    IReadOnlyList<BackfillDocument> Backfills,
    IReadOnlyList<string> AbandonedBackfills) : CommandDocument;

/// <summary>One revision a run applied or reverted, and how long it took.</summary>
public sealed record StepDocument(string Revision, long ExecutionMs);

/// <summary><c>upgrade --sql --json</c> and <c>downgrade --sql --json</c>: the script, and the revisions it covers.</summary>
public sealed record ScriptDocument(string Database, string Target, IReadOnlyList<string> Revisions, string Sql) : CommandDocument;

/// <summary><c>stamp --json</c>.</summary>
public sealed record StampDocument(string Database, string Target, IReadOnlyList<string> HeadsBefore, IReadOnlyList<string> HeadsAfter, int Recorded) : CommandDocument;

/// <summary><c>amend --json</c>.</summary>
public sealed record AmendDocument(
    string Database, string Revision, string File, bool Changed, string RecordedChecksum, string NewChecksum, string Reason, string DeployId) : CommandDocument;

/// <summary><c>reset --json</c>.</summary>
public sealed record ResetDocument(string Database, IReadOnlyList<string> Dropped, IReadOnlyList<string> HeadsBefore, string? Backup) : CommandDocument;

/// <summary><c>backup --json</c>.</summary>
public sealed record BackupCommandDocument(
    string Database, string Path, string Sha256, long Bytes, string ChecksumFile, double ElapsedMs, IReadOnlyList<string> Removed) : CommandDocument;

/// <summary><c>restore --json</c>: <c>schema</c> is <c>matches</c>, <c>differs</c> or <c>not-checked</c>.</summary>
public sealed record RestoreDocument(string Database, string File, IReadOnlyList<string> Heads, string Schema, string SchemaCheck) : CommandDocument;
