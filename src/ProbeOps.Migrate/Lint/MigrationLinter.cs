using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint.Recognition;
using ProbeOps.Migrate.Lint.Rules;

namespace ProbeOps.Migrate.Lint;

/// <summary>
/// The PostgreSQL linter (SPEC §10). Reads the graph once in order, recognising each statement once: revisions up to
/// the last one asked for feed the model of what ancestors did, and the ones asked for are checked against it. The
/// repeatable migrations asked for are read last, after every revision, as a run applies them.
/// </summary>
public sealed class MigrationLinter : IMigrationLinter
{
    public LintReport Lint(RevisionGraph graph, IReadOnlyList<Revision> revisions, LintOptions options, IReadOnlyList<RepeatableMigration>? repeatables = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(options);
        repeatables ??= [];

        var checkedIds = revisions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var last = repeatables.Count > 0 ? graph.TopologicalOrder.Count - 1
            : revisions.Count == 0 ? -1 : revisions.Max(r => graph.TopologicalIndex(r.Id));
        var run = new LintRun(graph, options, checkedIds);
        for (var order = 0; order <= last; order++)
            run.Read(graph.TopologicalOrder[order], order);
        for (var i = 0; i < repeatables.Count; i++)
            run.Read(repeatables[i], graph.TopologicalOrder.Count + i);
        return run.Build(checkedIds.Count, repeatables.Count);
    }
}

/// <summary>One pass of the linter over the graph: the model, the current transaction and the findings.</summary>
internal sealed class LintRun(RevisionGraph graph, LintOptions options, IReadOnlySet<string> checkedIds)
{
    private readonly LintSchemaModel _model = new();
    private readonly FindingSink _sink = new(options);
    private TransactionGroup _group = new();
    private bool _previousSharesTransaction;
    private bool _previousPendingTransactional;
    private bool _readingRepeatables;

    public void Read(Revision revision, int order)
    {
        if (revision.File is not { } file)
            return;
        var scope = new RevisionScope(graph, revision.Id, options);
        var check = checkedIds.Contains(revision.Id);

        // In single-transaction mode, consecutive transactional sections of pending revisions share one transaction.
        var pending = options.PendingRevisions?.Contains(revision.Id) == true;
        var shares = options.SingleTransaction && file.Upgrade.Transactional && pending;
        if (!(shares && _previousSharesTransaction))
            _group = new TransactionGroup();
        ReadSection(file.Path, file.Upgrade, LintSection.Upgrade, scope, order, check);
        _previousSharesTransaction = shares;
        _previousPendingTransactional = pending && file.Upgrade.Transactional;

        // A backfill runs after the upgrade has committed, each run in a transaction of its own: it ends a shared one.
        if (file.Backfill is { } backfill)
        {
            // A code revision's backfills are C#: their statements are only descriptions.
            if (!file.IsCode)
                ReadSection(file.Path, backfill, LintSection.Backfill, scope, order, check);
            _previousSharesTransaction = _previousPendingTransactional = false;
        }
    }

    /// <summary>
    /// Reads a repeatable migration. The repeatables of a run share one transaction, the run's last transactional
    /// group when the last pending revision leaves one open.
    /// </summary>
    public void Read(RepeatableMigration repeatable, int order)
    {
        if (!_readingRepeatables && !_previousPendingTransactional)
            _group = new TransactionGroup();
        _readingRepeatables = true;
        var scope = new RevisionScope(graph, repeatable.Id, options, afterEveryRevision: true);
        ReadSection(repeatable.Path, repeatable.Upgrade, LintSection.Repeatable, scope, order, check: true);
    }

    public LintReport Build(int revisionsLinted, int repeatablesLinted) =>
        _sink.Build(revisionsLinted) with { RepeatablesLinted = repeatablesLinted };

    private void ReadSection(string file, MigrationSection section, LintSection kind, RevisionScope scope, int order, bool check)
    {
        var rerun = kind == LintSection.Repeatable ? new RerunCheck() : null;
        foreach (var statement in section.Statements)
        {
            if (!section.Transactional || kind == LintSection.Backfill)
                _group = new TransactionGroup();
            var tokens = new StatementTokens(statement.Text);
            var recognised = StatementRecogniser.Recognise(tokens);
            var site = StatementSite.Create(scope.Revision, file, order, check, kind, statement, tokens);
            var statementCheck = new StatementCheck(site, tokens, recognised, section.Transactional, scope, _model, _sink);
            IndexRules.Check(statementCheck);
            AlterTableRules.Check(statementCheck, _group);
            TableRules.Check(statementCheck);
            EnumRules.Check(statementCheck, _group);
            DataChangeRules.Check(statementCheck);
            rerun?.Check(statementCheck);
            _sink.ReportMalformedSuppressions(site);
            _group.Record(statementCheck, _sink);
            _model.Apply(recognised, scope.Revision);
        }
    }
}
