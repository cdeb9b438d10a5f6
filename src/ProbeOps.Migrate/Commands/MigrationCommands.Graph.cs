using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Commands;

public sealed partial class MigrationCommands
{
    /// <summary>
    /// Checks files and graph; needs no database. Files are read with <paramref name="dialect"/>'s rules, by default
    /// the configured database's (PostgreSQL's when there is none). Never throws for bad files: every problem is a
    /// diagnostic.
    /// </summary>
    public ValidateResult Validate(bool allowMultipleHeads = false, ISqlDialect? dialect = null)
    {
        var set = MigrationDirectory.Load(_settings.MigrationsDirectory, dialect ?? FilesDialect());
        var graph = GraphValidator.Validate(set, new GraphValidationOptions(allowMultipleHeads));
        return new ValidateResult(set.Directory, set.Files.Count, graph.Graph, graph.Diagnostics);
    }

    /// <summary>The heads of the graph.</summary>
    public IReadOnlyList<RevisionInfo> Heads()
    {
        var graph = LoadGraph();
        return [.. graph.Heads.Select(h => Describe(graph, h))];
    }

    /// <summary>Every revision, newest first (reverse topological order).</summary>
    public IReadOnlyList<RevisionInfo> History()
    {
        var graph = LoadGraph();
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
        var graph = LoadGraph();
        var id = ResolveExisting(graph, revision);
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
            UpgradeTransactional: revision.File?.Upgrade.Transactional ?? true);
    }
}
