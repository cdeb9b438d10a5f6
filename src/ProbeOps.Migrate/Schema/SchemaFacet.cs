namespace ProbeOps.Migrate.Schema;

/// <summary>
/// One comparable property of a schema object, as text: the differ compares facets by name and
/// reports <c>name expected -> actual</c>. Null means "none".
/// </summary>
/// <param name="Name">The property as the report names it, e.g. <c>default</c>.</param>
/// <param name="Value">The property's value as the server deparses it.</param>
/// <param name="Fallback">
/// Compared only when nothing else of the object differs: a whole-object definition that repeats the
/// other facets, kept to catch what they do not cover (a foreign key's actions, a CHECK in SQLite).
/// </param>
public readonly record struct SchemaFacet(string Name, string? Value, bool Fallback = false)
{
    public static SchemaFacet Of(string name, bool value) => new(name, value ? "true" : "false");

    public static SchemaFacet Of(string name, long value) => new(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A list as <c>[a, b]</c>; order matters.</summary>
    public static SchemaFacet Of(string name, IReadOnlyList<string> values) => new(name, "[" + string.Join(", ", values) + "]");

    /// <summary>Grants as <c>[role: SELECT, UPDATE; other: SELECT]</c>: one entry per grantee, so a shortened list still shows whose changed.</summary>
    public static SchemaFacet OfPrivileges(IReadOnlyList<string> grants) => new(Privileges, "[" + string.Join("; ", grants) + "]");

    /// <summary>The name of every object's privileges facet.</summary>
    public const string Privileges = "privileges";
}

/// <summary>
/// What the differ needs of any object: its kind, a name unique among its siblings of that kind,
/// its facets and its children (a table's columns, constraints, indexes...).
/// </summary>
public interface ISchemaObject
{
    SchemaObjectKind Kind { get; }

    /// <summary>Top-level objects: the qualified name (<c>public.users</c>); children: the local name.</summary>
    string Name { get; }

    IEnumerable<SchemaFacet> Facets();

    IEnumerable<ISchemaObject> Children();

    /// <summary>How a child is named in a report, e.g. <c>public.users.email</c>.</summary>
    string ChildName(ISchemaObject child);
}
