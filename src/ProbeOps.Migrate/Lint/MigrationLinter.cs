using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint.Recognition;
using ProbeOps.Migrate.Lint.Rules;

namespace ProbeOps.Migrate.Lint;

/// <summary>
/// The PostgreSQL linter (SPEC §10). Reads the graph once in order, recognising each statement once: revisions up to
/// the last one asked for feed the model of what ancestors did, and the ones asked for are checked against it.
/// </summary>
public sealed class MigrationLinter : IMigrationLinter
{
    public LintReport Lint(RevisionGraph graph, IReadOnlyList<Revision> revisions, LintOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(options);

        var checkedIds = revisions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var last = revisions.Count == 0 ? -1 : revisions.Max(r => graph.TopologicalIndex(r.Id));
        var run = new LintRun(graph, options, checkedIds);
        for (var order = 0; order <= last; order++)
            run.Read(graph.TopologicalOrder[order], order);
        return run.Build(checkedIds.Count);
    }
}

/// <summary>One pass of the linter over the graph: the model, the current transaction and the findings.</summary>
internal sealed class LintRun(RevisionGraph graph, LintOptions options, IReadOnlySet<string> checkedIds)
{
    private readonly LintSchemaModel _model = new();
    private readonly FindingSink _sink = new(options);
    private TransactionGroup _group = new();
    private bool _previousSharesTransaction;

    public void Read(Revision revision, int order)
    {
        if (revision.File is not { } file)
            return;
        var scope = new RevisionScope(graph, revision.Id, options);
        ReadSection(file, file.Upgrade, scope, order);

        // Another section kind (the backfill section of SPEC §11) is read here, with the rules that apply to it.
    }

    public LintReport Build(int revisionsLinted) => _sink.Build(revisionsLinted);

    private void ReadSection(MigrationFile file, MigrationSection section, RevisionScope scope, int order)
    {
        // In single-transaction mode, consecutive transactional sections of pending revisions share one transaction.
        var shares = options.SingleTransaction && section.Transactional && options.PendingRevisions?.Contains(scope.Revision) == true;
        if (!(shares && _previousSharesTransaction))
            _group = new TransactionGroup();
        _previousSharesTransaction = shares;

        var check = checkedIds.Contains(scope.Revision);
        foreach (var statement in section.Statements)
        {
            if (!section.Transactional)
                _group = new TransactionGroup();
            var tokens = new StatementTokens(statement.Text);
            var recognised = StatementRecogniser.Recognise(tokens);
            var site = StatementSite.Create(scope.Revision, file.Path, order, check, statement, tokens);
            var statementCheck = new StatementCheck(site, tokens, recognised, section.Transactional, scope, _model, _sink);
            IndexRules.Check(statementCheck);
            AlterTableRules.Check(statementCheck, _group);
            TableRules.Check(statementCheck);
            EnumRules.Check(statementCheck, _group);
            _sink.ReportMalformedSuppressions(site);
            _group.Record(statementCheck, _sink);
            _model.Apply(recognised, scope.Revision);
        }
    }
}
