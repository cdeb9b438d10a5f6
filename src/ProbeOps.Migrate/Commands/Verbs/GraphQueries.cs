using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>heads</c>, <c>history</c> and <c>show</c>: the graph as the files describe it; no database.</summary>
public sealed class GraphQueries(GraphLoader graphs)
{
    /// <summary>The heads of the graph.</summary>
    public IReadOnlyList<RevisionInfo> Heads()
    {
        var graph = graphs.Load();
        return [.. graph.Heads.Select(h => Describe(graph, h))];
    }

    /// <summary>Every revision, newest first (reverse topological order).</summary>
    public IReadOnlyList<RevisionInfo> History()
    {
        var graph = graphs.Load();
        var order = graph.TopologicalOrder;
        var result = new List<RevisionInfo>(order.Count);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            result.Add(Describe(graph, order[i]));
        }

        return result;
    }

    /// <summary>One revision, by any target form that names a single revision.</summary>
    public (RevisionInfo Revision, MigrationFile? File) Show(string revision)
    {
        var graph = graphs.Load();
        var id = RevisionFileWriter.ResolveExisting(graph, revision);
        var node = graph[id];
        return (Describe(graph, node), node.File);
    }

    private static RevisionInfo Describe(RevisionGraph graph, Revision revision)
    {
        var children = graph.ChildrenOf(revision.Id);
        return new RevisionInfo(
            revision.Id,
            revision.Parents,
            [.. children.Select(c => c.Id)],
            revision.Message,
            revision.File?.Path,
            IsHead: children.Count == 0,
            IsBase: revision.IsBase,
            IsMerge: revision.IsMerge,
            IsBranchPoint: children.Count > 1,
            IsReversible: revision.File?.IsReversible ?? false,
            UpgradeTransactional: revision.File?.IsUpgradeTransactional ?? true);
    }
}
