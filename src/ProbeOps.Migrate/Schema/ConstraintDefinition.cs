namespace ProbeOps.Migrate.Schema;

/// <summary>A table constraint: primary key, unique, foreign key, check or exclusion.</summary>
public sealed record ConstraintDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    /// <summary><c>primary key</c>, <c>unique</c>, <c>foreign key</c>, <c>check</c> or <c>exclusion</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>The definition as <c>pg_get_constraintdef</c> prints it (columns, references, actions, predicate).</summary>
    public string Definition { get; init; } = "";

    public bool Deferrable { get; init; }

    public bool InitiallyDeferred { get; init; }

    /// <summary>True for a constraint added <c>NOT VALID</c> and not validated since.</summary>
    public bool NotValid { get; init; }

    public string? Comment { get; init; }

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Constraint;

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("type", Type);
        yield return SchemaFacet.Of("deferrable", Deferrable);
        yield return SchemaFacet.Of("initially deferred", InitiallyDeferred);
        yield return SchemaFacet.Of("validated", !NotValid);
        yield return new SchemaFacet("comment", Comment);
        yield return new SchemaFacet("definition", Definition, Fallback: true);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>
/// An index that no constraint owns (those are reported through their constraint). Key columns
/// carry their operator class when it is not the type's default, and their sort order when it is
/// not <c>ASC NULLS LAST</c>; a default operator class therefore equals none.
/// </summary>
public sealed record IndexDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    public bool Unique { get; init; }

    /// <summary>The access method: <c>btree</c>, <c>gin</c>, <c>gist</c>...</summary>
    public string Method { get; init; } = "";

    /// <summary>Key columns or expressions, each with any non-default operator class and sort order.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The <c>INCLUDE</c> columns.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>The <c>WHERE</c> predicate of a partial index.</summary>
    public string? Predicate { get; init; }

    public bool NullsNotDistinct { get; init; }

    public string? Options { get; init; }

    /// <summary>True for an index a failed <c>CREATE INDEX CONCURRENTLY</c> left unusable.</summary>
    public bool Invalid { get; init; }

    public string? Comment { get; init; }

    /// <summary>The whole <c>CREATE INDEX</c> as the server prints it; compared only when nothing else differs.</summary>
    public string? Definition { get; init; }

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Index;

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return SchemaFacet.Of("unique", Unique);
        yield return new SchemaFacet("method", Method);
        yield return SchemaFacet.Of("columns", Columns);
        yield return SchemaFacet.Of("include", Include);
        yield return new SchemaFacet("predicate", Predicate);
        yield return SchemaFacet.Of("nulls not distinct", NullsNotDistinct);
        yield return new SchemaFacet("options", Options);
        yield return SchemaFacet.Of("valid", !Invalid);
        yield return new SchemaFacet("comment", Comment);
        yield return new SchemaFacet("definition", Definition, Fallback: true);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;

    public IndexDefinition Normalized() => this with
    {
        Columns = DatabaseSchema.OrEmpty(Columns),
        Include = DatabaseSchema.OrEmpty(Include),
    };
}

/// <summary>A trigger written by the migrations (not one the server makes for a foreign key or clones into a partition).</summary>
public sealed record TriggerDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    /// <summary>The <c>CREATE TRIGGER</c> as <c>pg_get_triggerdef</c> prints it.</summary>
    public string Definition { get; init; } = "";

    /// <summary><c>disabled</c>, <c>replica</c> or <c>always</c>; null when it fires as usual (enabled).</summary>
    public string? Enabled { get; init; }

    public string? Comment { get; init; }

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Trigger;

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("definition", Definition);
        yield return new SchemaFacet("enabled", Enabled ?? "enabled");
        yield return new SchemaFacet("comment", Comment);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>A row-level security policy.</summary>
public sealed record PolicyDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    /// <summary><c>ALL</c>, <c>SELECT</c>, <c>INSERT</c>, <c>UPDATE</c> or <c>DELETE</c>.</summary>
    public string Command { get; init; } = "ALL";

    /// <summary>A restrictive policy (<c>AS RESTRICTIVE</c>); policies are permissive by default.</summary>
    public bool Restrictive { get; init; }

    /// <summary>The roles it applies to, sorted; <c>public</c> for everyone.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public string? Using { get; init; }

    public string? WithCheck { get; init; }

    public string? Comment { get; init; }

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Policy;

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("command", Command);
        yield return SchemaFacet.Of("permissive", !Restrictive);
        yield return SchemaFacet.Of("roles", Roles);
        yield return new SchemaFacet("using", Using);
        yield return new SchemaFacet("with check", WithCheck);
        yield return new SchemaFacet("comment", Comment);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}
