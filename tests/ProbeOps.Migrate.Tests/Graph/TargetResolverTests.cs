using ProbeOps.Migrate.Graph;
using static ProbeOps.Migrate.Tests.Graph.TestGraphs;

namespace ProbeOps.Migrate.Tests.Graph;

public class TargetResolverTests
{
    // a <- b <- c <- d, and c <- x: c is a branch point; m merges d and x.
    private static readonly RevisionGraph Chain = Of("a", "b:a", "c:b", "d:c");
    private static readonly RevisionGraph Branched = Of("a", "b:a", "c:b", "d:c", "x:c");
    private static readonly RevisionGraph Merged = Of("a", "b:a", "c:b", "d:c", "x:c", "m:d,x", "n:m");

    private static string Fails(RevisionGraph graph, string target, params string[] applied)
    {
        var error = Assert.Throws<MigrateException>(() => TargetResolver.Resolve(graph, target, Set(applied)));
        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    private static Target Resolve(RevisionGraph graph, string target, params string[] applied) =>
        TargetResolver.Resolve(graph, target, Set(applied));

    [Fact]
    public void Head_is_the_single_head()
    {
        Assert.Equal(Target.Revision("d"), Resolve(Chain, "head"));
    }

    [Fact]
    public void Head_with_several_heads_is_an_error_listing_them()
    {
        var message = Fails(Branched, "head");

        Assert.Contains("several heads (d, x)", message, StringComparison.Ordinal);
        Assert.Contains("`heads`", message, StringComparison.Ordinal);
        Assert.Contains("merge", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Heads_and_base_are_keywords()
    {
        Assert.Equal(Target.Heads, Resolve(Branched, "heads"));
        Assert.Equal(Target.Base, Resolve(Branched, "base"));
    }

    [Fact]
    public void A_full_id_resolves_to_itself()
    {
        var graph = Of("2025", "20250514_base:2025");

        Assert.Equal(Target.Revision("2025"), Resolve(graph, "2025"));
    }

    [Fact]
    public void A_unique_prefix_resolves_to_its_revision()
    {
        var graph = Of("20250514_base", "20250515_tier:20250514_base", "20250601_index:20250515_tier");

        Assert.Equal(Target.Revision("20250515_tier"), Resolve(graph, "20250515"));
    }

    [Fact]
    public void An_ambiguous_prefix_lists_the_candidates()
    {
        var graph = Of("20250514_base", "20250515_tier:20250514_base", "20250601_index:20250515_tier");

        var message = Fails(graph, "202505");

        Assert.Equal("'202505' matches several revisions: 20250514_base, 20250515_tier; give more of the id", message);
    }

    [Fact]
    public void An_ambiguous_prefix_shows_at_most_ten_candidates()
    {
        var graph = RevisionGraph.Create(Enumerable.Range(0, 15)
            .Select(i => new Revision($"r{i:D2}", i == 0 ? [] : [$"r{i - 1:D2}"])));

        var message = Fails(graph, "r");

        Assert.Contains("r09 and 5 more", message, StringComparison.Ordinal);
        Assert.DoesNotContain("r10", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_revision_is_named()
    {
        Assert.Equal("unknown revision 'zzz'", Fails(Chain, "zzz"));
    }

    [Fact]
    public void Plus_steps_up_from_the_applied_head()
    {
        Assert.Equal(Target.Revision("c"), Resolve(Chain, "+1", "a", "b"));
        Assert.Equal(Target.Revision("d"), Resolve(Chain, "+2", "a", "b"));
    }

    [Fact]
    public void Plus_one_with_nothing_applied_is_the_base()
    {
        Assert.Equal(Target.Revision("a"), Resolve(Chain, "+1"));
        Assert.Equal(Target.Revision("c"), Resolve(Chain, "+3"));
    }

    [Fact]
    public void Plus_beyond_the_head_is_an_error()
    {
        Assert.Equal(Target.Revision("d"), Resolve(Chain, "+4"));
        Assert.Equal("'+5' goes past the head 'd': only 4 more revision(s) can be applied", Fails(Chain, "+5"));
        Assert.Contains("goes past the head 'd'", Fails(Chain, "+1", "a", "b", "c", "d"), StringComparison.Ordinal);
    }

    [Fact]
    public void Plus_through_a_branch_point_is_an_error_naming_it()
    {
        Assert.Equal(Target.Revision("c"), Resolve(Branched, "+1", "a", "b"));

        var message = Fails(Branched, "+2", "a", "b");

        Assert.Contains("'c' is a branch point (children: d, x)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plus_may_step_onto_a_merge_revision()
    {
        Assert.Equal(Target.Revision("n"), Resolve(Merged, "+2", "a", "b", "c", "d"));
    }

    [Fact]
    public void Minus_steps_down_from_the_applied_head()
    {
        string[] all = ["a", "b", "c", "d"];

        Assert.Equal(Target.Revision("c"), Resolve(Chain, "-1", all));
        Assert.Equal(Target.Revision("a"), Resolve(Chain, "-3", all));
    }

    [Fact]
    public void Minus_one_past_the_base_is_base_and_further_is_an_error()
    {
        string[] all = ["a", "b", "c", "d"];

        Assert.Equal(Target.Base, Resolve(Chain, "-4", all));
        Assert.Equal("'-5' goes below base: at most 4 step(s) down are possible", Fails(Chain, "-5", all));
        Assert.Equal(Target.Base, Resolve(Chain, "-1", "a"));
    }

    [Fact]
    public void Minus_through_a_merge_revision_asks_for_an_id()
    {
        string[] all = ["a", "b", "c", "d", "x", "m", "n"];

        Assert.Equal(Target.Revision("m"), Resolve(Merged, "-1", all));

        var message = Fails(Merged, "-2", all);

        Assert.Contains("merge revision 'm' (parents: d, x)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Minus_with_nothing_applied_is_an_error()
    {
        Assert.Contains("nothing is applied", Fails(Chain, "-1"), StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_steps_with_several_applied_heads_are_an_error()
    {
        string[] applied = ["a", "b", "c", "d", "x"];

        Assert.Contains("several applied heads (d, x)", Fails(Branched, "+1", applied), StringComparison.Ordinal);
        Assert.Contains("several applied heads (d, x)", Fails(Branched, "-1", applied), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("-")]
    [InlineData("+x")]
    [InlineData("-1a")]
    [InlineData("+0")]
    [InlineData("-0")]
    [InlineData("+99999999999999999999")]
    [InlineData("")]
    [InlineData("  ")]
    public void Malformed_targets_are_usage_errors(string target)
    {
        Fails(Chain, target, "a", "b");
    }

    [Fact]
    public void An_empty_graph_accepts_only_base_and_head()
    {
        var empty = RevisionGraph.Empty;

        Assert.Equal(Target.Base, Resolve(empty, "base"));
        Assert.Equal(Target.Heads, Resolve(empty, "head"));
        Assert.Equal(Target.Heads, Resolve(empty, "heads"));
        Assert.Contains("no revisions", Fails(empty, "+1"), StringComparison.Ordinal);
        Assert.Contains("no revisions", Fails(empty, "-1"), StringComparison.Ordinal);
        Assert.Contains("no revisions", Fails(empty, "abc"), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_a_deep_chain_walks_without_recursion()
    {
        var graph = RevisionGraph.Create(Enumerable.Range(0, 10_000)
            .Select(i => new Revision($"r{i:D5}", i == 0 ? [] : [$"r{i - 1:D5}"])));
        var applied = new HashSet<string>(graph.Ids, StringComparer.Ordinal);

        Assert.Equal(Target.Revision("r00000"), TargetResolver.Resolve(graph, "-9999", applied));
        Assert.Equal(Target.Base, TargetResolver.Resolve(graph, "-10000", applied));
        Assert.Equal(Target.Revision("r09999"), TargetResolver.Resolve(graph, "+10000", new HashSet<string>()));
    }
}
