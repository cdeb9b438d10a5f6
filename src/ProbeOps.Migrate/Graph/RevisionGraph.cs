using System.Collections.Immutable;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Graph;

/// <summary>
/// A validated revision graph: unique ids, every parent known, no cycles. Build one with
/// <see cref="GraphValidator"/> (which reports problems as diagnostics) or <see cref="Create"/>.
/// Immutable once built, so one instance may be read from several threads.
/// </summary>
public sealed class RevisionGraph
{
    private readonly Dictionary<string, Node> _nodes;

    private RevisionGraph(Dictionary<string, Node> nodes, ImmutableArray<Revision> order)
    {
        _nodes = nodes;
        TopologicalOrder = order;
        Heads = order.Where(r => nodes[r.Id].Children.IsEmpty).OrderBy(r => r.Id, StringComparer.Ordinal).ToImmutableArray();
        Bases = order.Where(r => r.IsBase).OrderBy(r => r.Id, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>
    /// The repeatable migrations read with the graph, in file-name order. They are not nodes of it: no parents, no
    /// children, no place in targets or heads; they ride along so every verb that reads the graph sees them.
    /// </summary>
    public IReadOnlyList<RepeatableMigration> Repeatables { get; private init; } = [];

    /// <summary>This graph with <paramref name="repeatables"/> beside it.</summary>
    public RevisionGraph WithRepeatables(IReadOnlyList<RepeatableMigration> repeatables) =>
        new(_nodes, [.. TopologicalOrder]) { Repeatables = repeatables };

    /// <summary>A graph with no revisions: what an empty migrations directory gives.</summary>
    public static RevisionGraph Empty { get; } = new(new Dictionary<string, Node>(StringComparer.Ordinal), []);

    /// <summary>Builds the graph; throws <see cref="MigrateException"/> (InvalidMigrations) when ids repeat, a parent is unknown or there is a cycle.</summary>
    public static RevisionGraph Create(IEnumerable<Revision> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var revision in revisions)
        {
            if (!nodes.TryAdd(revision.Id, new Node(revision)))
            {
                throw Invalid($"revision '{revision.Id}' is defined more than once");
            }
        }

        // Parent and child links, and in-degrees for the sort; a parent named twice counts once.
        var children = new Dictionary<string, List<Node>>(StringComparer.Ordinal);
        var pending = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        foreach (var node in nodes.Values)
        {
            var parents = DistinctParents(node.Revision);
            var parentNodes = new Node[parents.Count];
            for (var i = 0; i < parents.Count; i++)
            {
                if (!nodes.TryGetValue(parents[i], out var parent))
                {
                    throw Invalid($"revision '{node.Revision.Id}' names unknown down_revision '{parents[i]}'");
                }

                parentNodes[i] = parent;
                if (!children.TryGetValue(parent.Revision.Id, out var list))
                {
                    children[parent.Revision.Id] = list = [];
                }

                list.Add(node);
            }

            node.ParentNodes = parentNodes;
            pending[node.Revision.Id] = parents.Count;
        }

        foreach (var (id, list) in children)
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Revision.Id, b.Revision.Id));
            var parent = nodes[id];
            parent.ChildNodes = [.. list];
            parent.Children = [.. list.Select(n => n.Revision)];
        }

        var order = TopologicalSort(nodes, pending);
        if (order.Length != nodes.Count)
        {
            throw Invalid($"the revisions form a cycle: {DescribeCycle(nodes, pending)}");
        }

        return new RevisionGraph(nodes, order);
    }

    /// <summary>All revisions, parents always before children; ties broken by id so the order is stable.</summary>
    public IReadOnlyList<Revision> TopologicalOrder { get; }

    /// <summary>Revisions no other revision names as parent, sorted by id.</summary>
    public IReadOnlyList<Revision> Heads { get; }

    /// <summary>Revisions without parents, sorted by id.</summary>
    public IReadOnlyList<Revision> Bases { get; }

    public int Count => _nodes.Count;

    /// <summary>Every revision id, in no particular order.</summary>
    public IEnumerable<string> Ids => _nodes.Keys;

    public bool Contains(string id) => _nodes.ContainsKey(id);

    /// <summary>The revision with this exact id; throws KeyNotFoundException otherwise.</summary>
    public Revision this[string id] => Get(id).Revision;

    /// <summary>The position of <paramref name="id"/> in <see cref="TopologicalOrder"/>.</summary>
    public int TopologicalIndex(string id) => Get(id).Index;

    public IReadOnlyList<Revision> ChildrenOf(string id) => Get(id).Children;

    /// <summary>Every ancestor of <paramref name="id"/>, excluding itself.</summary>
    public IReadOnlySet<string> AncestorsOf(string id) =>
        Walk(id, static node => node.ParentNodes);

    /// <summary>Every descendant of <paramref name="id"/>, excluding itself.</summary>
    public IReadOnlySet<string> DescendantsOf(string id) =>
        Walk(id, static node => node.ChildNodes);

    /// <summary>The heads of an applied set: applied revisions none of whose children are applied, sorted by id. Ids unknown to the graph are ignored.</summary>
    public IReadOnlyList<string> HeadsOf(IReadOnlySet<string> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var heads = new List<string>();
        foreach (var id in applied)
        {
            if (_nodes.TryGetValue(id, out var node) && !node.ChildNodes.Any(c => applied.Contains(c.Revision.Id)))
            {
                heads.Add(id);
            }
        }

        heads.Sort(StringComparer.Ordinal);
        return heads;
    }

    private Node Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _nodes.TryGetValue(id, out var node)
            ? node
            : throw new KeyNotFoundException($"revision '{id}' is not in the graph");
    }

    private HashSet<string> Walk(string id, Func<Node, Node[]> next)
    {
        var start = Get(id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Node>();
        stack.Push(start);
        while (stack.TryPop(out var node))
        {
            foreach (var neighbour in next(node))
            {
                if (seen.Add(neighbour.Revision.Id))
                {
                    stack.Push(neighbour);
                }
            }
        }

        return seen;
    }

    internal static List<string> DistinctParents(Revision revision)
    {
        var parents = new List<string>(revision.Parents.Count);
        foreach (var parent in revision.Parents)
        {
            if (!parents.Contains(parent, StringComparer.Ordinal))
            {
                parents.Add(parent);
            }
        }

        return parents;
    }

    // Kahn's algorithm; among revisions ready at once the smallest id goes first, so the order
    // depends only on the graph, never on the order files were read in.
    private static ImmutableArray<Revision> TopologicalSort(Dictionary<string, Node> nodes, Dictionary<string, int> pending)
    {
        var ready = new PriorityQueue<Node, string>(StringComparer.Ordinal);
        foreach (var node in nodes.Values)
        {
            if (pending[node.Revision.Id] == 0)
            {
                ready.Enqueue(node, node.Revision.Id);
            }
        }

        var order = ImmutableArray.CreateBuilder<Revision>(nodes.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            node.Index = order.Count;
            order.Add(node.Revision);
            foreach (var child in node.ChildNodes)
            {
                if (--pending[child.Revision.Id] == 0)
                {
                    ready.Enqueue(child, child.Revision.Id);
                }
            }
        }

        return order.Count == nodes.Count ? order.MoveToImmutable() : order.ToImmutable();
    }

    // Every revision Kahn could not place still has an unplaced parent, so following unplaced
    // parents from any of them must come back to a revision already on the path.
    private static string DescribeCycle(Dictionary<string, Node> nodes, Dictionary<string, int> pending)
    {
        var start = pending.Where(p => p.Value > 0).Select(p => p.Key).Min(StringComparer.Ordinal)!;
        var cycle = CycleFinder.Find(start, id => nodes[id].Revision.Parents.FirstOrDefault(p => pending[p] > 0))!;
        return ShortList.Join(cycle, " -> ");
    }

    private static MigrateException Invalid(string message) => new(FailureKind.InvalidMigrations, message);

    private sealed class Node(Revision revision)
    {
        public Revision Revision { get; } = revision;

        public Node[] ParentNodes { get; set; } = [];

        public Node[] ChildNodes { get; set; } = [];

        public ImmutableArray<Revision> Children { get; set; } = [];

        public int Index { get; set; } = -1;
    }
}
