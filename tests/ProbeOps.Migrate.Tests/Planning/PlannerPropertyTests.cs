using CsCheck;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Tests.Planning;

/// <summary>Planner laws over random graphs with branches and merges, and random applied sets closed under ancestors.</summary>
public class PlannerPropertyTests
{
    private const int Iterations = 2_000;

    /// <summary>A random graph, an applied set closed under ancestors, and a revision to aim at.</summary>
    public sealed record Case(RevisionGraph Graph, string[] Specs, HashSet<string> Applied, string Pick, bool IsTree)
    {
        public override string ToString() =>
            $"graph [{string.Join(" ", Specs)}] applied [{string.Join(" ", Applied.Order(StringComparer.Ordinal))}] pick {Pick}";
    }

    private static Gen<Case> Cases(int maxParents) =>
        Gen.Int[1, 40].SelectMany(n => Gen.Int[0, 1_000_000].Array[n * 4].Select(
            Gen.Int[0, 99].Array[n],
            Gen.Int[0, 40],
            Gen.Int[0, 1_000_000],
            (links, seeds, density, pick) => Build(n, maxParents, links, seeds, density, pick)));

    private static Case Build(int n, int maxParents, int[] links, int[] seeds, int density, int pick)
    {
        // Ids are scrambled so the tie-break by id differs from the order nodes were generated in.
        var ids = Enumerable.Range(0, n).Select(i => $"r{i * 37 % 41:D2}").ToArray();
        var revisions = new List<Revision>(n) { new(ids[0], []) };
        for (var i = 1; i < n; i++)
        {
            var wanted = 1 + (links[i * 4] % Math.Min(maxParents, i));
            var parents = new List<string>();
            for (var j = 1; parents.Count < wanted && j < 4; j++)
            {
                var parent = ids[links[(i * 4) + j] % i];
                if (!parents.Contains(parent))
                {
                    parents.Add(parent);
                }
            }

            revisions.Add(new Revision(ids[i], parents));
        }

        revisions.Reverse();
        var graph = RevisionGraph.Create(revisions);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            if (seeds[i] < density)
            {
                applied.Add(ids[i]);
                applied.UnionWith(graph.AncestorsOf(ids[i]));
            }
        }

        var specs = revisions.Select(r => r.IsBase ? r.Id : $"{r.Id}:{string.Join(",", r.Parents)}").Reverse().ToArray();
        return new Case(graph, specs, applied, ids[pick % n], maxParents == 1);
    }

    private static readonly Gen<Case> Dags = Gen.OneOf(Cases(3), Cases(1));

    private static HashSet<string> Closure(RevisionGraph graph, string id) =>
        new(graph.AncestorsOf(id), StringComparer.Ordinal) { id };

    private static HashSet<string> Upgraded(RevisionGraph graph, HashSet<string> applied, Target target)
    {
        var after = new HashSet<string>(applied, StringComparer.Ordinal);
        after.UnionWith(Planner.PlanUpgrade(graph, applied, target).Steps.Select(s => s.Id));
        return after;
    }

    private static HashSet<string> Downgraded(RevisionGraph graph, HashSet<string> applied, Target target)
    {
        var after = new HashSet<string>(applied, StringComparer.Ordinal);
        after.ExceptWith(Planner.PlanDowngrade(graph, applied, target).Steps.Select(s => s.Id));
        return after;
    }

    private static void AssertParentsFirst(MigrationPlan plan, HashSet<string> applied)
    {
        var done = new HashSet<string>(applied, StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            Assert.All(step.Parents, p => Assert.Contains(p, done));
            Assert.True(done.Add(step.Id), $"{step.Id} is planned twice or was already applied");
        }
    }

    private static void AssertChildrenFirst(MigrationPlan plan)
    {
        var position = plan.Steps.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        Assert.Equal(plan.Steps.Count, position.Count);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            foreach (var parent in plan.Steps[i].Parents)
            {
                Assert.True(!position.TryGetValue(parent, out var at) || at > i, $"{parent} is reverted before its child {plan.Steps[i].Id}");
            }
        }
    }

    [Fact]
    public void Upgrade_plans_put_every_parent_before_its_child_and_skip_applied_revisions()
    {
        Dags.Sample(c =>
        {
            var toHeads = Planner.PlanUpgrade(c.Graph, c.Applied, Target.Heads);
            var toPick = Planner.PlanUpgrade(c.Graph, c.Applied, Target.Revision(c.Pick));

            AssertParentsFirst(toHeads, c.Applied);
            AssertParentsFirst(toPick, c.Applied);
            Assert.DoesNotContain(toHeads.Steps, s => c.Applied.Contains(s.Id));
            Assert.DoesNotContain(toPick.Steps, s => c.Applied.Contains(s.Id));
        }, iter: Iterations);
    }

    [Fact]
    public void Upgrading_to_heads_applies_everything_and_to_a_revision_applies_exactly_its_closure()
    {
        Dags.Sample(c =>
        {
            Assert.Equal(c.Graph.Count, Upgraded(c.Graph, c.Applied, Target.Heads).Count);

            var expected = new HashSet<string>(c.Applied, StringComparer.Ordinal);
            expected.UnionWith(Closure(c.Graph, c.Pick));
            Assert.True(expected.SetEquals(Upgraded(c.Graph, c.Applied, Target.Revision(c.Pick))));
        }, iter: Iterations);
    }

    [Fact]
    public void Downgrade_plans_revert_exactly_the_applied_descendants_children_first()
    {
        Dags.Sample(c =>
        {
            var toBase = Planner.PlanDowngrade(c.Graph, c.Applied, Target.Base);
            AssertChildrenFirst(toBase);
            Assert.True(c.Applied.SetEquals(toBase.Steps.Select(s => s.Id)));

            foreach (var id in c.Applied)
            {
                var plan = Planner.PlanDowngrade(c.Graph, c.Applied, Target.Revision(id));
                AssertChildrenFirst(plan);
                var expected = new HashSet<string>(c.Graph.DescendantsOf(id), StringComparer.Ordinal);
                expected.IntersectWith(c.Applied);
                Assert.True(expected.SetEquals(plan.Steps.Select(s => s.Id)), $"downgrade to {id}");
            }
        }, iter: Iterations / 4);
    }

    [Fact]
    public void Downgrade_then_upgrade_to_the_former_heads_restores_the_applied_set()
    {
        Dags.Sample(c =>
        {
            var formerHeads = c.Graph.HeadsOf(c.Applied);
            var targets = c.Applied.Count == 0 ? [Target.Base] : c.Applied.Select(Target.Revision).Append(Target.Base).ToList();
            foreach (var target in targets)
            {
                var state = Downgraded(c.Graph, c.Applied, target);
                foreach (var head in formerHeads)
                {
                    state = Upgraded(c.Graph, state, Target.Revision(head));
                }

                Assert.True(c.Applied.SetEquals(state), $"round trip through {target}");
            }
        }, iter: Iterations / 4);
    }

    [Fact]
    public void Upgrade_then_downgrade_to_the_applied_head_reverts_what_descends_from_it()
    {
        Dags.Sample(c =>
        {
            foreach (var head in c.Graph.HeadsOf(c.Applied))
            {
                var descendants = c.Graph.DescendantsOf(head);
                if (!descendants.Contains(c.Pick))
                {
                    continue;
                }

                var upgraded = Upgraded(c.Graph, c.Applied, Target.Revision(c.Pick));
                var state = Downgraded(c.Graph, upgraded, Target.Revision(head));

                // What the upgrade brought from branches merged in along the way stays; the rest goes.
                var expected = new HashSet<string>(Closure(c.Graph, c.Pick), StringComparer.Ordinal);
                expected.ExceptWith(descendants);
                expected.UnionWith(c.Applied);
                Assert.True(expected.SetEquals(state));
                Assert.True(state.IsSupersetOf(c.Applied));
                if (c.IsTree)
                {
                    Assert.True(c.Applied.SetEquals(state), "in a graph without merges the round trip is exact");
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Stamp_sets_match_what_an_upgrade_from_nothing_applies()
    {
        Dags.Sample(c =>
        {
            var empty = new HashSet<string>(StringComparer.Ordinal);
            Assert.True(Planner.StampSet(c.Graph, Target.Revision(c.Pick)).SetEquals(Upgraded(c.Graph, empty, Target.Revision(c.Pick))));
            Assert.True(Planner.StampSet(c.Graph, Target.Heads).SetEquals(Upgraded(c.Graph, empty, Target.Heads)));
        }, iter: Iterations);
    }

    [Fact]
    public void Topological_order_is_the_same_whatever_order_the_revisions_come_in()
    {
        Dags.Sample(c =>
        {
            var shuffled = RevisionGraph.Create(c.Graph.TopologicalOrder.OrderBy(r => r.Id.GetHashCode(StringComparison.Ordinal)));
            Assert.Equal(c.Graph.TopologicalOrder.Select(r => r.Id), shuffled.TopologicalOrder.Select(r => r.Id));
        }, iter: Iterations / 4);
    }
}
