namespace ProbeOps.Migrate.Schema;

/// <summary>A sequence that is not an identity column's own (those are options of the column).</summary>
public sealed record SequenceDefinition : ISchemaObject
{
    public string Schema { get; init; } = "";

    public string Name { get; init; } = "";

    public SequenceOptions Options { get; init; } = new();

    /// <summary>The column that owns it (<c>serial</c>, <c>OWNED BY</c>), qualified.</summary>
    public string? OwnedBy { get; init; }

    public string? Comment { get; init; }

    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Sequence;

    string ISchemaObject.Name => SchemaNames.Qualify(Schema, Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("type", Options.Type);
        yield return SchemaFacet.Of("start", Options.Start);
        yield return SchemaFacet.Of("increment", Options.Increment);
        yield return SchemaFacet.Of("minvalue", Options.Min);
        yield return SchemaFacet.Of("maxvalue", Options.Max);
        yield return SchemaFacet.Of("cache", Options.Cache);
        yield return SchemaFacet.Of("cycle", Options.Cycle);
        yield return new SchemaFacet("owned by", OwnedBy);
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>A view or materialized view.</summary>
public sealed record ViewDefinition : ISchemaObject
{
    public string Schema { get; init; } = "";

    public string Name { get; init; } = "";

    public bool Materialized { get; init; }

    /// <summary>The query as <c>pg_get_viewdef</c> prints it (SQLite: the CREATE VIEW text).</summary>
    public string Definition { get; init; } = "";

    /// <summary><c>security_barrier</c>, <c>check_option</c> and other options, sorted.</summary>
    public string? Options { get; init; }

    public string? Comment { get; init; }

    /// <summary>Indexes of a materialized view.</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; init; } = [];

    /// <summary>Triggers of a view (<c>INSTEAD OF</c>; SQLite too).</summary>
    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = [];

    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => Materialized ? SchemaObjectKind.MaterializedView : SchemaObjectKind.View;

    string ISchemaObject.Name => SchemaNames.Qualify(Schema, Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("definition", Definition);
        yield return new SchemaFacet("options", Options);
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
    }

    public IEnumerable<ISchemaObject> Children() => Indexes.Cast<ISchemaObject>().Concat(Triggers);

    public string ChildName(ISchemaObject child) =>
        child.Kind == SchemaObjectKind.Index
            ? SchemaNames.Qualify(Schema, child.Name)
            : SchemaNames.Qualify(Schema, Name) + "." + SchemaNames.Quote(child.Name);

    public ViewDefinition Normalized() => this with
    {
        Indexes = DatabaseSchema.Sort(DatabaseSchema.OrEmpty(Indexes).Select(i => i.Normalized()), i => i.Name),
        Triggers = DatabaseSchema.Sort(Triggers, t => t.Name),
        Privileges = DatabaseSchema.SortStrings(Privileges),
    };
}

/// <summary>A function, procedure or aggregate, identified by its name and argument types.</summary>
public sealed record RoutineDefinition : ISchemaObject
{
    public string Schema { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The argument types that identify an overload, without parameter names or modes, e.g. <c>uuid, integer</c>.</summary>
    public string Arguments { get; init; } = "";

    /// <summary><c>procedure</c>, <c>aggregate</c> or <c>window</c>; null for a plain function.</summary>
    public string? Kind { get; init; }

    /// <summary>The whole <c>CREATE OR REPLACE</c> as <c>pg_get_functiondef</c> prints it, body included.</summary>
    public string Definition { get; init; } = "";

    public string? Comment { get; init; }

    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => Kind switch
    {
        "procedure" => SchemaObjectKind.Procedure,
        "aggregate" => SchemaObjectKind.Aggregate,
        _ => SchemaObjectKind.Function,
    };

    string ISchemaObject.Name => SchemaNames.Qualify(Schema, Name) + "(" + Arguments + ")";

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("kind", Kind ?? "function");
        yield return new SchemaFacet("definition", Definition);
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>A user-defined type: enum, domain, composite or range.</summary>
public sealed record TypeDefinition : ISchemaObject
{
    public string Schema { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary><c>enum</c>, <c>domain</c>, <c>composite</c> or <c>range</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>An enum's labels, in their sort order.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>A domain's base type, or a range's subtype.</summary>
    public string? BaseType { get; init; }

    public bool NotNull { get; init; }

    public string? Default { get; init; }

    public string? Collation { get; init; }

    /// <summary>A domain's constraints as <c>name: CHECK (...)</c>, sorted.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>A composite type's attributes, in order.</summary>
    public IReadOnlyList<ColumnDefinition> Attributes { get; init; } = [];

    public string? Comment { get; init; }

    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => Kind == "domain" ? SchemaObjectKind.Domain : SchemaObjectKind.Type;

    string ISchemaObject.Name => SchemaNames.Qualify(Schema, Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("kind", Kind);
        yield return SchemaFacet.Of("labels", Labels.Select(l => "'" + l.Replace("'", "''", StringComparison.Ordinal) + "'").ToList());
        yield return new SchemaFacet("base type", BaseType);
        yield return SchemaFacet.Of("not null", NotNull);
        yield return new SchemaFacet("default", Default);
        yield return new SchemaFacet("collation", Collation);
        yield return SchemaFacet.Of("constraints", Constraints);
        yield return SchemaFacet.Of("attributes", Attributes.OrderBy(a => a.Position).Select(Describe).ToList());
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;

    public TypeDefinition Normalized() => this with
    {
        Labels = DatabaseSchema.OrEmpty(Labels),
        Constraints = DatabaseSchema.SortStrings(Constraints),
        Attributes = [.. DatabaseSchema.OrEmpty(Attributes).OrderBy(a => a.Position)],
        Privileges = DatabaseSchema.SortStrings(Privileges),
    };

    private static string Describe(ColumnDefinition attribute) =>
        SchemaNames.Quote(attribute.Name) + " " + attribute.Type + (attribute.Collation is null ? "" : " COLLATE " + attribute.Collation);
}
