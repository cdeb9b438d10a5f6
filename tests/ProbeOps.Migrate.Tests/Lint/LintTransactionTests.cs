using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint;
using static ProbeOps.Migrate.Tests.Lint.LintTestSupport;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>Rules that depend on the run's transactions: pending revisions, single-transaction mode, transaction:false sections.</summary>
public sealed class LintTransactionTests
{
    private static readonly MigrationLinter Linter = new();

    private static RevisionGraph Chain(params (string Upgrade, bool Transactional)[] children)
    {
        var files = new List<MigrationFile> { Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema)) };
        for (var i = 0; i < children.Length; i++)
        {
            var id = $"2025010{i + 2}_step";
            files.Add(Parse(id + ".sql", Migration(id, files[^1].Revision, children[i].Upgrade, children[i].Transactional)));
        }

        return BuildGraph(files);
    }

    private static LintOptions Pending(RevisionGraph graph, bool singleTransaction = true) => new()
    {
        PendingRevisions = graph.TopologicalOrder.Skip(1).Select(r => r.Id).ToHashSet(),
        SingleTransaction = singleTransaction,
    };

    [Fact]
    public void A_strong_lock_of_an_early_migration_is_reported_with_the_later_long_statement_that_keeps_it_held()
    {
        var graph = Chain(
            ("ALTER TABLE orders ADD COLUMN note text;", true),
            ("UPDATE accounts SET status = 'active';", true));
        var report = Linter.Lint(graph, graph.TopologicalOrder.Skip(1).ToList(), Pending(graph));

        var held = Assert.Single(report.Findings, f => f.Code == "PL171");
        Assert.Equal(("20250102_step", 5), (held.Revision, held.Line));
        Assert.Equal("ACCESS EXCLUSIVE", held.Lock);
        Assert.Contains("20250103_step.sql:5", held.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Code == "PL181" && f.Revision == "20250103_step");
    }

    [Fact]
    public void Without_single_transaction_mode_or_across_a_transaction_false_section_the_lock_is_released()
    {
        var graph = Chain(
            ("ALTER TABLE orders ADD COLUMN note text;", true),
            ("UPDATE accounts SET status = 'active';", true));
        var revisions = graph.TopologicalOrder.Skip(1).ToList();
        Assert.DoesNotContain(Linter.Lint(graph, revisions, Pending(graph, singleTransaction: false)).Findings, f => f.Code == "PL171");

        var split = Chain(
            ("ALTER TABLE orders ADD COLUMN note text;", true),
            ("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON orders (note);", false),
            ("UPDATE accounts SET status = 'active';", true));
        Assert.DoesNotContain(Linter.Lint(split, split.TopologicalOrder.Skip(1).ToList(), Pending(split)).Findings, f => f.Code == "PL171");
    }

    [Fact]
    public void Without_a_database_each_revision_is_its_own_transaction()
    {
        var graph = Chain(
            ("ALTER TABLE orders ADD COLUMN note text;", true),
            ("UPDATE accounts SET status = 'active';", true));
        Assert.Equal("PL181", Codes(Linter.Lint(graph, graph.TopologicalOrder.Skip(1).ToList(), new LintOptions())));
    }

    [Fact]
    public void Tables_created_by_a_pending_revision_are_new_and_empty()
    {
        var graph = Chain(
            ("CREATE TABLE events (id bigint, kind text);", true),
            ("CREATE INDEX ix_events_kind ON events (kind);\nALTER TABLE events ADD COLUMN token uuid DEFAULT gen_random_uuid();", true));
        var child = graph.TopologicalOrder.Skip(2).ToList();
        Assert.Equal("PL101,PL111", Codes(Linter.Lint(graph, child, new LintOptions())));
        Assert.Equal("", Codes(Linter.Lint(graph, child, Pending(graph))));
    }

    [Fact]
    public void An_enum_value_added_by_one_pending_migration_and_used_by_the_next_fails_in_the_shared_transaction()
    {
        var graph = Chain(
            ("ALTER TYPE mood ADD VALUE 'happy';", true),
            ("CREATE TABLE moods (m mood DEFAULT 'happy');", true));
        var revisions = graph.TopologicalOrder.Skip(1).ToList();
        var used = Assert.Single(Linter.Lint(graph, revisions, Pending(graph)).Findings);
        Assert.Equal(("PL161", "20250103_step"), (used.Code, used.Revision));
        Assert.Equal("", Codes(Linter.Lint(graph, revisions, Pending(graph, singleTransaction: false))));
    }

    [Fact]
    public void Validating_in_a_later_transaction_is_the_safe_way()
    {
        var graph = Chain(
            ("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;", true),
            ("ALTER TABLE orders VALIDATE CONSTRAINT fk;", true));
        var revisions = graph.TopologicalOrder.Skip(1).ToList();
        Assert.Equal("", Codes(Linter.Lint(graph, revisions, new LintOptions())));
        var same = Assert.Single(Linter.Lint(graph, revisions, Pending(graph)).Findings);
        Assert.Equal(("PL124", "SHARE ROW EXCLUSIVE"), (same.Code, same.Lock));
    }
}
