using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using static ProbeOps.Migrate.Tests.Graph.TestGraphs;

namespace ProbeOps.Migrate.Tests.Planning;

public class PlannerTests
{
    // a <- b <- c, c <- d <- m, c <- x <- m (m merges d and x), and y branches off b.
    private static readonly RevisionGraph Graph = Of("a", "b:a", "c:b", "d:c", "x:c", "m:d,x", "n:m", "y:b");

    private static string[] Up(HashSet<string> applied, Target target) => Ids(Planner.PlanUpgrade(Graph, applied, target).Steps);

    private static string[] Down(HashSet<string> applied, Target target) => Ids(Planner.PlanDowngrade(Graph, applied, target).Steps);

    private static MigrateException Refuses(Action action)
    {
        var error = Assert.Throws<MigrateException>(action);
        Assert.Equal(FailureKind.Usage, error.Kind);
        return error;
    }

    [Fact]
    public void Upgrade_to_heads_plans_every_unapplied_revision_parents_first()
    {
        var plan = Planner.PlanUpgrade(Graph, Set("a", "b"), Target.Heads);

        Assert.Equal(MigrationDirection.Upgrade, plan.Direction);
        Assert.Equal(["c", "d", "x", "m", "n", "y"], Ids(plan.Steps));
    }

    [Fact]
    public void Upgrade_to_a_revision_plans_it_and_its_unapplied_ancestors()
    {
        Assert.Equal(["a", "b", "c", "d"], Up(Set(), Target.Revision("d")));
        Assert.Equal(["d", "x", "m"], Up(Set("a", "b", "c"), Target.Revision("m")));
        Assert.Equal(["x", "m"], Up(Set("a", "b", "c", "d"), Target.Revision("m")));
        Assert.Equal(["y"], Up(Set("a", "b", "c"), Target.Revision("y")));
    }

    [Fact]
    public void Upgrade_to_an_applied_revision_or_base_is_empty()
    {
        Assert.True(Planner.PlanUpgrade(Graph, Set("a", "b"), Target.Revision("b")).IsEmpty);
        Assert.True(Planner.PlanUpgrade(Graph, Set("a"), Target.Base).IsEmpty);
        Assert.True(Planner.PlanUpgrade(RevisionGraph.Empty, Set(), Target.Heads).IsEmpty);
    }

    [Fact]
    public void Upgrade_ignores_applied_ids_the_graph_does_not_know()
    {
        Assert.Equal(["b"], Up(Set("a", "dropped_long_ago"), Target.Revision("b")));
    }

    [Fact]
    public void Upgrade_to_an_unknown_revision_is_a_usage_error()
    {
        Assert.Equal("unknown revision 'zzz'", Refuses(() => Planner.PlanUpgrade(Graph, Set(), Target.Revision("zzz"))).Message);
    }

    [Fact]
    public void Downgrade_to_base_reverts_everything_applied_children_first()
    {
        var plan = Planner.PlanDowngrade(Graph, Set("a", "b", "c", "d", "x", "m", "y"), Target.Base);

        Assert.Equal(MigrationDirection.Downgrade, plan.Direction);
        Assert.Equal(["y", "m", "x", "d", "c", "b", "a"], Ids(plan.Steps));
    }

    [Fact]
    public void Downgrade_to_a_revision_reverts_its_applied_descendants()
    {
        var all = Set("a", "b", "c", "d", "x", "m", "n", "y");

        Assert.Equal(["n", "m", "x", "d"], Down(all, Target.Revision("c")));
        Assert.Equal(["n", "m"], Down(all, Target.Revision("d")));
        Assert.Equal(["y", "n", "m", "x", "d", "c"], Down(all, Target.Revision("b")));
        Assert.Empty(Down(all, Target.Revision("n")));
    }

    [Fact]
    public void Downgrade_to_a_revision_leaves_other_branches_alone()
    {
        Assert.Equal(["x", "d"], Down(Set("a", "b", "c", "d", "x", "y"), Target.Revision("c")));
        Assert.Equal(["d"], Down(Set("a", "b", "c", "d", "y"), Target.Revision("c")));
    }

    [Fact]
    public void Downgrade_to_heads_reverts_nothing()
    {
        Assert.Empty(Down(Set("a", "b"), Target.Heads));
    }

    [Fact]
    public void Downgrade_to_an_unapplied_revision_is_a_usage_error()
    {
        Assert.Equal("d is not applied", Refuses(() => Planner.PlanDowngrade(Graph, Set("a", "b", "c"), Target.Revision("d"))).Message);
    }

    [Fact]
    public void Downgrade_to_base_refuses_applied_revisions_without_a_file()
    {
        var error = Refuses(() => Planner.PlanDowngrade(Graph, Set("a", "zz_gone", "b", "aa_gone"), Target.Base));

        Assert.Contains("aa_gone, zz_gone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Downgrade_refuses_to_pass_a_revision_without_a_downgrade_section()
    {
        var graph = RevisionGraph.Create(
        [
            Revision.From(File("m/20250101_base.sql", [])),
            Revision.From(File("m/20250102_data.sql", ["20250101_base"], reversible: false)),
            Revision.From(File("m/20250103_view.sql", ["20250102_data"], reversible: false)),
            Revision.From(File("m/20250104_index.sql", ["20250103_view"])),
        ]);
        var all = new HashSet<string>(graph.Ids, StringComparer.Ordinal);

        var error = Refuses(() => Planner.PlanDowngrade(graph, all, Target.Revision("20250101_base")));

        Assert.Equal(
            "cannot downgrade past 20250103_view (20250103_view.sql): it has no -- migrate:downgrade section",
            error.Message);
        Assert.Equal(["20250104_index"], Ids(Planner.PlanDowngrade(graph, all, Target.Revision("20250103_view")).Steps));
    }

    [Fact]
    public void Stamp_sets_are_the_target_with_its_ancestors()
    {
        Assert.Empty(Planner.StampSet(Graph, Target.Base));
        Assert.Equal(Set("a", "b", "c", "d", "x", "m", "n", "y"), Planner.StampSet(Graph, Target.Heads));
        Assert.Equal(Set("a", "b", "c", "d", "x", "m"), Planner.StampSet(Graph, Target.Revision("m")));
        Assert.Equal(Set("a", "b", "y"), Planner.StampSet(Graph, Target.Revision("y")));
        Refuses(() => Planner.StampSet(Graph, Target.Revision("zzz")));
    }

    [Fact]
    public void Plans_over_ten_thousand_revisions_are_built_without_recursion()
    {
        var graph = RevisionGraph.Create(Enumerable.Range(0, 10_000)
            .Select(i => new Revision($"r{i:D5}", i == 0 ? [] : [$"r{i - 1:D5}"])));

        var up = Planner.PlanUpgrade(graph, Set(), Target.Revision("r09999"));
        var all = new HashSet<string>(up.Steps.Select(s => s.Id), StringComparer.Ordinal);
        var down = Planner.PlanDowngrade(graph, all, Target.Revision("r00000"));

        Assert.Equal(10_000, up.Steps.Count);
        Assert.Equal("r00000", up.Steps[0].Id);
        Assert.Equal(9_999, down.Steps.Count);
        Assert.Equal("r09999", down.Steps[0].Id);
    }
}
