namespace ProbeOps.Migrate.Lint;

/// <summary>
/// How serious a lint finding is (SPEC §10). Errors block traffic, rewrite a table or fail; warnings are
/// destructive, backward-incompatible or retry hazards; notices are advice.
/// </summary>
public enum LintSeverity
{
    Error,
    Warning,
    Notice,
}

/// <summary>The kind of section a statement is in: each runs in its own way, and some rules belong to one kind.</summary>
public enum LintSection
{
    /// <summary>A revision's <c>-- migrate:upgrade</c> section.</summary>
    Upgrade,

    /// <summary>A revision's <c>-- migrate:backfill</c> section: each statement runs again and again, each run its own transaction.</summary>
    Backfill,

    /// <summary>A repeatable migration: applied after every revision, and again whenever it changes.</summary>
    Repeatable,
}

/// <summary>One statement that is dangerous on a database in service, with the safe way to the same result.</summary>
/// <param name="Code">A stable rule code such as <c>PL101</c>; <c>docs/lint.md</c> has one section per code.</param>
/// <param name="Severity">The rule's severity after configuration and context (server version, table state).</param>
/// <param name="Revision">The revision whose section holds the statement; for a repeatable migration, <c>repeatable/NAME</c>.</param>
/// <param name="File">The migration file.</param>
/// <param name="Line">The 1-based file line where the statement (or the offending part of it) starts.</param>
/// <param name="Column">The 1-based column on <paramref name="Line"/>.</param>
/// <param name="Message">One sentence: what the statement does to a live database.</param>
/// <param name="Fix">The safe way to reach the same result.</param>
/// <param name="Lock">The lock the statement takes (<c>ACCESS EXCLUSIVE</c>, <c>SHARE</c>, ...), when it takes one that matters.</param>
/// <param name="Blocks">What that lock blocks while it is held (<c>reads and writes</c>, <c>writes</c>), when there is a lock.</param>
/// <param name="Statement">The statement text, for the caret display.</param>
public sealed record LintFinding(
    string Code,
    LintSeverity Severity,
    string Revision,
    string File,
    int Line,
    int Column,
    string Message,
    string Fix,
    string? Lock,
    string? Blocks,
    string Statement)
{
    /// <summary>The section that holds the statement.</summary>
    public LintSection Section { get; init; }
}

/// <summary>A <c>-- lint:ignore CODE reason</c> line that silenced a finding; listed in reports so silence leaves a trail.</summary>
public sealed record LintSuppression(string Code, string Revision, string File, int Line, string Reason);

/// <summary>What lint found over a set of revisions.</summary>
/// <param name="Findings">Findings in file order (revision in graph order, then line, then column).</param>
/// <param name="Suppressions">Suppressions that silenced a finding.</param>
/// <param name="RevisionsLinted">How many revisions were checked.</param>
public sealed record LintReport(IReadOnlyList<LintFinding> Findings, IReadOnlyList<LintSuppression> Suppressions, int RevisionsLinted)
{
    /// <summary>How many repeatable migrations were checked.</summary>
    public int RepeatablesLinted { get; init; }

    public bool HasErrors => Findings.Any(f => f.Severity == LintSeverity.Error);

    public int Count(LintSeverity severity) => Findings.Count(f => f.Severity == severity);
}

/// <summary>What lint knows besides the files.</summary>
public sealed record LintOptions
{
    /// <summary>The server's version (from the database, or <c>--pg-version</c>); null lints for the oldest supported server.</summary>
    public Version? ServerVersion { get; init; }

    /// <summary>
    /// Revisions pending in this run (with a database): objects they create are new and empty. Null without a database:
    /// only objects created earlier in the same revision count as new.
    /// </summary>
    public IReadOnlySet<string>? PendingRevisions { get; init; }

    /// <summary>Whether all pending transactional revisions share one transaction (the deploy default).</summary>
    public bool SingleTransaction { get; init; } = true;

    /// <summary>Rule codes whose severity the configuration changes.</summary>
    public IReadOnlyDictionary<string, LintSeverity> SeverityOverrides { get; init; } = new Dictionary<string, LintSeverity>();

    /// <summary>Rule codes the configuration turns off.</summary>
    public IReadOnlySet<string> DisabledRules { get; init; } = new HashSet<string>();
}

/// <summary>
/// Checks revisions for statements that are dangerous on a database in service (SPEC §10). Each revision is checked as
/// if its ancestors were applied to a database in service.
/// </summary>
public interface IMigrationLinter
{
    /// <param name="graph">The whole validated graph: ancestors of the linted revisions are read for what they did.</param>
    /// <param name="revisions">The revisions to check, in graph order (every revision when a user names none).</param>
    /// <param name="options">Server version, pending revisions and configured severities.</param>
    /// <param name="repeatables">The repeatable migrations to check, read after every revision; none when null.</param>
    LintReport Lint(
        Graph.RevisionGraph graph, IReadOnlyList<Graph.Revision> revisions, LintOptions options, IReadOnlyList<Files.RepeatableMigration>? repeatables = null);
}
