using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint;

/// <summary>
/// Where a revision (or a repeatable migration) stands in the run: its id, the server, and which objects count as new.
/// A repeatable runs after every revision, so everything a revision did precedes it.
/// </summary>
internal sealed class RevisionScope(Graph.RevisionGraph graph, string revision, LintOptions options, bool afterEveryRevision = false)
{
    private IReadOnlySet<string>? _ancestors;

    /// <summary>The revision id, or a repeatable's <c>repeatable/NAME</c>.</summary>
    public string Revision { get; } = revision;

    public Version Server { get; } = options.ServerVersion ?? LintRules.OldestSupportedServer;

    /// <summary>Whether something done by <paramref name="byRevision"/> was done before this revision ran: by it or an ancestor.</summary>
    public bool Precedes(string byRevision) =>
        afterEveryRevision || byRevision == Revision || (_ancestors ??= graph.AncestorsOf(Revision)).Contains(byRevision);

    /// <summary>Whether an object created by <paramref name="createdBy"/> is new and empty: created by this revision or one pending in the run.</summary>
    public bool CreatedInRun(string createdBy) =>
        createdBy == Revision || options.PendingRevisions?.Contains(createdBy) == true;
}

/// <summary>One statement being checked, with everything the rules consult and the sink they report to.</summary>
internal sealed class StatementCheck(
    StatementSite site,
    StatementTokens tokens,
    RecognisedStatement statement,
    bool inTransaction,
    RevisionScope scope,
    LintSchemaModel model,
    FindingSink sink)
{
    public StatementSite Site { get; } = site;

    public StatementTokens Tokens { get; } = tokens;

    public RecognisedStatement Statement { get; } = statement;

    /// <summary>Whether the statement runs inside a transaction block (its section is transactional).</summary>
    public bool InTransaction { get; } = inTransaction;

    /// <summary>The kind of section the statement is in.</summary>
    public LintSection Section => Site.Section;

    public RevisionScope Scope { get; } = scope;

    public LintSchemaModel Model { get; } = model;

    /// <summary>What makes the statement long (a rewrite, a scan, an index build), when something does; set by the rules.</summary>
    public string? LongWork { get; private set; }

    /// <summary>An earlier statement a finding on this one already names as holding its lock (the NOT VALID add of a VALIDATE).</summary>
    public StatementSite? LockNamedBy { get; set; }

    public bool ServerBefore(int major) => Scope.Server.Major < major;

    /// <summary>Whether <paramref name="table"/> is new and empty: created earlier in this revision or by a revision pending in the run.</summary>
    public bool IsNew(ObjectName table) => Model.Table(table) is { } facts && Scope.CreatedInRun(facts.CreatedBy);

    /// <summary>Reports a finding. <paramref name="longWork"/> says what makes the statement hold its lock for long, if anything.</summary>
    public void Report(LintRule rule, string message, string fix, LockMode lockMode, string? longWork = null, LintSeverity? severity = null)
    {
        LongWork ??= longWork;
        sink.Report(Site, rule, message, fix, lockMode, severity);
    }
}
