using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Json;

namespace ProbeOps.Migrate.Cli.Json;

// The payloads of the commands that read or write migration files and need no database.
// Each command's document is one record deriving from CommandDocument (the envelope); docs/json.md
// describes every field.

/// <summary><c>init --json</c>.</summary>
public sealed record InitDocument(string Config, string Migrations, IReadOnlyList<string> Created, IReadOnlyList<string> Existing, IReadOnlyList<string> Updated) : CommandDocument;

/// <summary><c>new --json</c> and <c>merge --json</c>.</summary>
public sealed record NewRevisionDocument(string Revision, string File, IReadOnlyList<string> DownRevisions) : CommandDocument;

/// <summary><c>validate --json</c>: counts, heads, and every problem found.</summary>
public sealed record ValidateDocument(string Migrations, int Files, int ValidFiles, IReadOnlyList<string> Heads, IReadOnlyList<DiagnosticDocument> Diagnostics) : CommandDocument;

/// <summary><c>lint --json</c> (SPEC §10): what was linted against, the counts, findings and suppressions.</summary>
public sealed record LintDocument(
    string Migrations,
    string? Database,
    string? ServerVersion,
    IReadOnlyList<string>? Pending,
    string? Notice,
    int Revisions,
    int Repeatables,
    int Errors,
    int Warnings,
    int Notices,
    IReadOnlyList<LintFindingDocument> Findings,
    IReadOnlyList<LintSuppressionDocument> Suppressions) : CommandDocument;

/// <summary><c>heads --json</c>.</summary>
public sealed record HeadsDocument(IReadOnlyList<RevisionDocument> Heads) : CommandDocument;

/// <summary><c>history --json</c>: every revision, newest first.</summary>
public sealed record HistoryDocument(IReadOnlyList<RevisionDocument> Revisions) : CommandDocument;

/// <summary><c>show --json</c>: the revision, and its file's checksum and SQL when it has a file.</summary>
public sealed record ShowDocument(RevisionDocument Revision, string? Checksum, string? Upgrade, string? Downgrade) : CommandDocument;

/// <summary>One revision of the graph.</summary>
public sealed record RevisionDocument(
    string Id,
    IReadOnlyList<string> Parents,
    IReadOnlyList<string> Children,
    string? Message,
    string? File,
    bool Head,
    bool Base,
    bool Mergepoint,
    bool Branchpoint,
    bool Reversible,
    bool Transactional)
{
    public static RevisionDocument From(RevisionInfo r) => new(
        r.Id, r.Parents, r.Children, r.Message, r.File, r.IsHead, r.IsBase, r.IsMerge, r.IsBranchPoint, r.IsReversible, r.UpgradeTransactional);

    public static IReadOnlyList<RevisionDocument> All(IEnumerable<RevisionInfo> revisions) => revisions.Select(From).ToList();
}

/// <summary><c>import-alembic --json</c> (SPEC §13): the Alembic project, where the files went, each revision written, and what was not carried over.</summary>
public sealed record ImportAlembicDocument(string Project, string Migrations, IReadOnlyList<ImportedRevisionDocument> Revisions, IReadOnlyList<string> Warnings) : CommandDocument;

/// <summary>One revision <c>import-alembic</c> wrote.</summary>
public sealed record ImportedRevisionDocument(string Revision, string File, IReadOnlyList<string> DownRevisions, string Message, string Source, bool Reversible);
