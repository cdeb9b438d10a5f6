namespace ProbeOps.Migrate.Schema;

/// <summary>A column of a table or an attribute of a composite type.</summary>
public sealed record ColumnDefinition : ISchemaObject
{
    public string Name { get; init; } = "";

    /// <summary>1-based place among the live columns. Not compared: a different order is reported as information.</summary>
    public int Position { get; init; }

    /// <summary>The type as <c>format_type</c> prints it, e.g. <c>character varying(20)</c>.</summary>
    public string Type { get; init; } = "";

    public bool NotNull { get; init; }

    /// <summary>The default expression as <c>pg_get_expr</c> prints it, e.g. <c>'free'::text</c>.</summary>
    public string? Default { get; init; }

    public IdentityDefinition? Identity { get; init; }

    /// <summary>The expression of a generated column (SQLite: <c>virtual</c> or <c>stored</c> only).</summary>
    public string? Generated { get; init; }

    /// <summary>A collation other than the type's default, qualified.</summary>
    public string? Collation { get; init; }

    /// <summary>A storage other than the type's (<c>SET STORAGE</c>): <c>PLAIN</c>, <c>EXTERNAL</c>, <c>MAIN</c> or <c>EXTENDED</c>.</summary>
    public string? Storage { get; init; }

    /// <summary>The statistics target when set (<c>SET STATISTICS</c>).</summary>
    public string? Statistics { get; init; }

    /// <summary>Attribute options (<c>n_distinct</c>, <c>n_distinct_inherited</c>), sorted, comma-separated.</summary>
    public string? Options { get; init; }

    public string? Comment { get; init; }

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Column;

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("type", Type);
        yield return SchemaFacet.Of("not null", NotNull);
        yield return new SchemaFacet("default", Default);
        yield return new SchemaFacet("identity", Identity?.ToString());
        yield return new SchemaFacet("generated", Generated);
        yield return new SchemaFacet("collation", Collation);
        yield return new SchemaFacet("storage", Storage);
        yield return new SchemaFacet("statistics", Statistics);
        yield return new SchemaFacet("options", Options);
        yield return new SchemaFacet("comment", Comment);
    }

    public IEnumerable<ISchemaObject> Children() => [];

    public string ChildName(ISchemaObject child) => child.Name;
}

/// <summary>An identity column's generation and the options of its sequence.</summary>
public sealed record IdentityDefinition
{
    /// <summary><c>ALWAYS</c> or <c>BY DEFAULT</c>.</summary>
    public string Generation { get; init; } = "";

    public SequenceOptions Sequence { get; init; } = new();

    public override string ToString() => $"GENERATED {Generation} ({Sequence})";
}

/// <summary>The options of a sequence (identity or standalone); its current value is data, not schema.</summary>
public sealed record SequenceOptions
{
    public string Type { get; init; } = "bigint";

    public long Start { get; init; }

    public long Increment { get; init; }

    public long Min { get; init; }

    public long Max { get; init; }

    public long Cache { get; init; }

    public bool Cycle { get; init; }

    public override string ToString() => System.FormattableString.Invariant(
        $"AS {Type} START {Start} INCREMENT {Increment} MINVALUE {Min} MAXVALUE {Max} CACHE {Cache}{(Cycle ? " CYCLE" : "")}");
}
