using ProbeOps.Migrate.Graph;
using static ProbeOps.Migrate.Tests.Graph.TestGraphs;

namespace ProbeOps.Migrate.Tests.Graph;

public class RevisionGraphTests
{
    [Fact]
    public void Graph_links_parents_children_heads_and_bases()
    {
        var graph = Of("a", "b:a", "c:a", "m:b,c", "d:m");

        Assert.Equal(5, graph.Count);
        Assert.True(graph.Contains("m"));
        Assert.False(graph.Contains("M"));
        Assert.Equal(["b", "c"], Ids(graph.ChildrenOf("a")));
        Assert.Equal(["m"], Ids(graph.ChildrenOf("c")));
        Assert.Empty(graph.ChildrenOf("d"));
        Assert.Equal(["a"], Ids(graph.Bases));
        Assert.Equal(["d"], Ids(graph.Heads));
        Assert.True(graph["m"].IsMerge);
    }

    [Fact]
    public void Heads_and_bases_are_sorted_by_ordinal_id()
    {
        var graph = Of("b", "a", "Z:a", "y:a", "x:b");

        Assert.Equal(["Z", "x", "y"], Ids(graph.Heads));
        Assert.Equal(["a", "b"], Ids(graph.Bases));
    }

    [Fact]
    public void Topological_order_puts_parents_first_and_breaks_ties_by_id()
    {
        var graph = Of("m:c,b", "c:a", "b:a", "a", "z:a", "d:m");

        Assert.Equal(["a", "b", "c", "m", "d", "z"], Ids(graph.TopologicalOrder));
    }

    [Fact]
    public void Topological_order_does_not_depend_on_input_order()
    {
        string[] specs = ["a", "b:a", "c:a", "d:b,c", "e:c", "f:d,e"];

        var forward = Of(specs);
        var backward = Of([.. specs.Reverse()]);

        Assert.Equal(Ids(forward.TopologicalOrder), Ids(backward.TopologicalOrder));
        for (var i = 0; i < forward.Count; i++)
        {
            Assert.Equal(i, forward.TopologicalIndex(forward.TopologicalOrder[i].Id));
        }
    }

    [Fact]
    public void Ancestors_and_descendants_exclude_the_revision_itself()
    {
        var graph = Of("a", "b:a", "c:a", "m:b,c", "d:m", "x:c");

        Assert.Equal(Set("a", "b", "c"), graph.AncestorsOf("m"));
        Assert.Empty(graph.AncestorsOf("a"));
        Assert.Equal(Set("m", "d", "x"), graph.DescendantsOf("c"));
        Assert.Empty(graph.DescendantsOf("d"));
    }

    [Fact]
    public void Heads_of_an_applied_set_are_applied_revisions_without_applied_children()
    {
        var graph = Of("a", "b:a", "c:a", "m:b,c");

        Assert.Equal(["b", "c"], graph.HeadsOf(Set("a", "b", "c")));
        Assert.Equal(["m"], graph.HeadsOf(Set("a", "b", "c", "m")));
        Assert.Empty(graph.HeadsOf(Set()));
        Assert.Equal(["a"], graph.HeadsOf(Set("a", "gone")));
    }

    [Fact]
    public void Unknown_ids_throw_key_not_found()
    {
        var graph = Of("a");

        Assert.Throws<KeyNotFoundException>(() => graph["nope"]);
        Assert.Throws<KeyNotFoundException>(() => graph.AncestorsOf("nope"));
        Assert.Throws<KeyNotFoundException>(() => graph.ChildrenOf("nope"));
    }

    [Fact]
    public void Empty_graph_has_nothing()
    {
        var graph = RevisionGraph.Empty;

        Assert.Equal(0, graph.Count);
        Assert.Empty(graph.TopologicalOrder);
        Assert.Empty(graph.Heads);
        Assert.Empty(graph.Bases);
        Assert.Same(graph, RevisionGraph.Empty);
    }

    [Fact]
    public void Create_rejects_a_duplicate_id()
    {
        var error = Assert.Throws<MigrateException>(() => Of("a", "b:a", "b:a"));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_rejects_an_unknown_parent()
    {
        var error = Assert.Throws<MigrateException>(() => Of("a", "b:x"));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_rejects_a_cycle_and_names_it()
    {
        var error = Assert.Throws<MigrateException>(() => Of("a", "b:a,d", "c:b", "d:c", "e:d"));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.EndsWith("b -> d -> c -> b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_rejects_a_revision_that_is_its_own_parent()
    {
        var error = Assert.Throws<MigrateException>(() => Of("a", "b:b"));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.EndsWith("b -> b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parent_named_twice_counts_once()
    {
        var graph = Of("a", "b:a,a");

        Assert.Equal(["a", "b"], Ids(graph.TopologicalOrder));
        Assert.Equal(["b"], Ids(graph.ChildrenOf("a")));
    }

    [Fact]
    public void A_chain_of_ten_thousand_revisions_is_handled_without_recursion()
    {
        const int count = 10_000;
        var revisions = Enumerable.Range(0, count)
            .Select(i => new Revision($"r{i:D5}", i == 0 ? [] : [$"r{i - 1:D5}"]))
            .Reverse();

        var graph = RevisionGraph.Create(revisions);

        Assert.Equal(count, graph.TopologicalOrder.Count);
        Assert.Equal("r00000", graph.TopologicalOrder[0].Id);
        Assert.Equal("r09999", graph.TopologicalOrder[^1].Id);
        Assert.Equal(count - 1, graph.AncestorsOf("r09999").Count);
        Assert.Equal(count - 1, graph.DescendantsOf("r00000").Count);
        Assert.Equal(["r09999"], Ids(graph.Heads));
    }

    [Fact]
    public void A_graph_can_be_read_from_several_threads()
    {
        var graph = RevisionGraph.Create(Enumerable.Range(0, 2_000)
            .Select(i => new Revision($"r{i:D4}", i == 0 ? [] : [$"r{(i - 1) / 2:D4}"])));

        var counts = new int[64];
        Parallel.For(0, counts.Length, i => counts[i] = graph.DescendantsOf("r0000").Count + graph.AncestorsOf("r1999").Count);

        Assert.All(counts, c => Assert.Equal(1_999 + 10, c));
    }
}
