namespace ProbeOps.Migrate.Graph;

/// <summary>
/// A validated revision graph: unique ids, every parent known, no cycles. Build one with
/// <see cref="GraphValidator"/> (which reports problems as diagnostics) or <see cref="Create"/>.
/// </summary>
public sealed class RevisionGraph
{
    /// <summary>Builds the graph; throws <see cref="MigrateException"/> (InvalidMigrations) when ids repeat, a parent is unknown or there is a cycle.</summary>
    public static RevisionGraph Create(IEnumerable<Revision> revisions) => throw new NotImplementedException();

    /// <summary>All revisions, parents always before children; ties broken by id so the order is stable.</summary>
    public IReadOnlyList<Revision> TopologicalOrder => throw new NotImplementedException();

    /// <summary>Revisions no other revision names as parent, sorted by id.</summary>
    public IReadOnlyList<Revision> Heads => throw new NotImplementedException();

    /// <summary>Revisions without parents, sorted by id.</summary>
    public IReadOnlyList<Revision> Bases => throw new NotImplementedException();

    public int Count => throw new NotImplementedException();

    public bool Contains(string id) => throw new NotImplementedException();

    /// <summary>The revision with this exact id; throws KeyNotFoundException otherwise.</summary>
    public Revision this[string id] => throw new NotImplementedException();

    public IReadOnlyList<Revision> ChildrenOf(string id) => throw new NotImplementedException();

    /// <summary>Every ancestor of <paramref name="id"/>, excluding itself.</summary>
    public IReadOnlySet<string> AncestorsOf(string id) => throw new NotImplementedException();

    /// <summary>Every descendant of <paramref name="id"/>, excluding itself.</summary>
    public IReadOnlySet<string> DescendantsOf(string id) => throw new NotImplementedException();

    /// <summary>The heads of an applied set: applied revisions none of whose children are applied.</summary>
    public IReadOnlyList<string> HeadsOf(IReadOnlySet<string> applied) => throw new NotImplementedException();
}
