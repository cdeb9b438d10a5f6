namespace ProbeOps.Migrate.Schema;

/// <summary>A table (plain, partitioned, foreign, or a partition of another) with what belongs to it.</summary>
public sealed record TableDefinition : ISchemaObject
{
    public string Schema { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary><c>partitioned table</c>, <c>foreign table</c> or <c>virtual table</c> (SQLite); null for a plain table.</summary>
    public string? Kind { get; init; }

    public bool Unlogged { get; init; }

    /// <summary>The partition key of a partitioned table, e.g. <c>RANGE (created_at)</c>.</summary>
    public string? PartitionKey { get; init; }

    /// <summary>The parent of a partition, qualified.</summary>
    public string? PartitionOf { get; init; }

    /// <summary>The bound of a partition, e.g. <c>FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')</c>.</summary>
    public string? PartitionBound { get; init; }

    /// <summary>Parents by plain inheritance (not partitioning), qualified, in inheritance order.</summary>
    public IReadOnlyList<string> Inherits { get; init; } = [];

    public bool RowLevelSecurity { get; init; }

    public bool ForceRowLevelSecurity { get; init; }

    /// <summary>Storage parameters (<c>WITH (...)</c>), sorted, comma-separated.</summary>
    public string? Options { get; init; }

    /// <summary><c>FULL</c>, <c>NOTHING</c> or <c>USING INDEX name</c>; null for the default (the primary key).</summary>
    public string? ReplicaIdentity { get; init; }

    /// <summary>The index <c>CLUSTER ON</c> marked, if any.</summary>
    public string? ClusterOn { get; init; }

    public string? Comment { get; init; }

    /// <summary>The table's whole definition where the catalog says less than the text (SQLite's CREATE TABLE): compared only when nothing else differs.</summary>
    public string? Definition { get; init; }

    public IReadOnlyList<ColumnDefinition> Columns { get; init; } = [];

    public IReadOnlyList<ConstraintDefinition> Constraints { get; init; } = [];

    public IReadOnlyList<IndexDefinition> Indexes { get; init; } = [];

    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = [];

    public IReadOnlyList<PolicyDefinition> Policies { get; init; } = [];

    public IReadOnlyList<string> Privileges { get; init; } = [];

    SchemaObjectKind ISchemaObject.Kind => SchemaObjectKind.Table;

    string ISchemaObject.Name => SchemaNames.Qualify(Schema, Name);

    public IEnumerable<SchemaFacet> Facets()
    {
        yield return new SchemaFacet("kind", Kind ?? "table");
        yield return SchemaFacet.Of("unlogged", Unlogged);
        yield return new SchemaFacet("partition key", PartitionKey);
        yield return new SchemaFacet("partition of", PartitionOf);
        yield return new SchemaFacet("partition bound", PartitionBound);
        yield return SchemaFacet.Of("inherits", Inherits);
        yield return SchemaFacet.Of("row level security", RowLevelSecurity);
        yield return SchemaFacet.Of("force row level security", ForceRowLevelSecurity);
        yield return new SchemaFacet("options", Options);
        yield return new SchemaFacet("replica identity", ReplicaIdentity);
        yield return new SchemaFacet("cluster on", ClusterOn);
        yield return new SchemaFacet("comment", Comment);
        yield return SchemaFacet.OfPrivileges(Privileges);
        yield return new SchemaFacet("definition", Definition, Fallback: true);
    }

    public IEnumerable<ISchemaObject> Children() =>
        Columns.Cast<ISchemaObject>().Concat(Constraints).Concat(Indexes).Concat(Triggers).Concat(Policies);

    /// <summary>Columns, constraints, triggers and policies are named within the table; an index within the schema.</summary>
    public string ChildName(ISchemaObject child) =>
        child.Kind == SchemaObjectKind.Index
            ? SchemaNames.Qualify(Schema, child.Name)
            : SchemaNames.Qualify(Schema, Name) + "." + SchemaNames.Quote(child.Name);

    /// <summary>The column names in table order, for the column-order note.</summary>
    public IReadOnlyList<string> ColumnOrder() =>
        [.. Columns.OrderBy(c => c.Position).Select(c => c.Name)];

    public TableDefinition Normalized() => this with
    {
        Inherits = Inherits ?? [],
        Columns = DatabaseSchema.Sort(Columns, c => c.Name),
        Constraints = DatabaseSchema.Sort(Constraints, c => c.Name),
        Indexes = DatabaseSchema.Sort(DatabaseSchema.OrEmpty(Indexes).Select(i => i.Normalized()), i => i.Name),
        Triggers = DatabaseSchema.Sort(Triggers, t => t.Name),
        Policies = DatabaseSchema.Sort(DatabaseSchema.OrEmpty(Policies).Select(p => p with { Roles = DatabaseSchema.OrEmpty(p.Roles) }), p => p.Name),
        Privileges = DatabaseSchema.SortStrings(Privileges),
    };
}
