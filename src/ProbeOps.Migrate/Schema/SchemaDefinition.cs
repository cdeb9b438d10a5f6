namespace ProbeOps.Migrate.Schema;

/// <summary>A PostgreSQL schema (namespace). SQLite has one, <c>main</c>, which is not listed.</summary>
public sealed record SchemaDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    public string? Comment { get; init; }

    /// <summary>Grants as <c>grantee: PRIVILEGE, ...</c>, the owner's own left out; empty unless privileges were read.</summary>
    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Schema;

    string ISchemaObject.Name => SchemaNames.Quote(Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>An installed extension. Its own objects are not listed: the extension stands for them.</summary>
public sealed record ExtensionDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    public string Schema { get; init; } = "";

    public string Version { get; init; } = "";

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Extension;

    string ISchemaObject.Name => SchemaNames.Quote(Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("schema", Schema);
        yield return new SchemaFacet("version", Version);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}
