using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.PostgreSql;

// The rows of the catalog queries, as PostgreSqlCatalogRows reads them, and the builders that
// gather a table's or a view's parts before PostgreSqlSchemaModelBuilder makes the model.

internal sealed record CatalogRelation(
    uint Oid, string Schema, string Name, char Kind, bool Unlogged, bool RowSecurity, bool ForceRowSecurity, bool IsPartition,
    string? PartitionBound, string? PartitionKey, string? Options, string? ViewDefinition, string[] Parents, string? ReplicaIdentity, string? ClusterOn);

internal sealed record CatalogSequence(SequenceOptions Options, uint? Owner, int OwnerColumn, string? DependencyType);

internal sealed record CatalogColumn(
    short Number, string Name, string Type, bool NotNull, string? Default, string Generated, string Identity, string? Collation,
    string? Storage, string? Statistics, string? Options);

internal sealed record CatalogConstraint(uint Oid, uint Table, uint Domain, string Name, char Type, string Definition, bool Deferrable, bool Deferred, bool Validated);

internal sealed record CatalogIndex(uint Oid, uint Table, short KeyCount, IndexDefinition Definition);

internal sealed record CatalogType(
    uint Oid, string Schema, string Name, char Kind, uint Relation, string? BaseType, bool NotNull, string? Default, string? Collation, string[] Labels);

internal sealed class CatalogTableBuilder(CatalogRelation relation)
{
    public CatalogRelation Relation { get; } = relation;

    public List<ColumnDefinition> Columns { get; } = [];

    public List<ConstraintDefinition> Constraints { get; } = [];

    public List<IndexDefinition> Indexes { get; } = [];

    public List<TriggerDefinition> Triggers { get; } = [];

    public List<PolicyDefinition> Policies { get; } = [];

    public TableDefinition Build(string? comment, IReadOnlyList<string> privileges) => new()
    {
        Schema = Relation.Schema,
        Name = Relation.Name,
        Kind = Relation.Kind switch
        {
            'p' => "partitioned table",
            'f' => "foreign table",
            _ => null,
        },
        Unlogged = Relation.Unlogged,
        PartitionKey = Relation.PartitionKey,
        PartitionOf = Relation.IsPartition && Relation.Parents.Length > 0 ? Relation.Parents[0] : null,
        PartitionBound = Relation.PartitionBound,
        Inherits = Relation.IsPartition ? [] : Relation.Parents,
        RowLevelSecurity = Relation.RowSecurity,
        ForceRowLevelSecurity = Relation.ForceRowSecurity,
        Options = Relation.Options,
        ReplicaIdentity = Relation.ReplicaIdentity,
        ClusterOn = Relation.ClusterOn,
        Comment = comment,
        Columns = Columns,
        Constraints = Constraints,
        Indexes = Indexes,
        Triggers = Triggers,
        Policies = Policies,
        Privileges = privileges,
    };
}

internal sealed class CatalogViewBuilder(CatalogRelation relation)
{
    public CatalogRelation Relation { get; } = relation;

    public List<IndexDefinition> Indexes { get; } = [];

    public List<TriggerDefinition> Triggers { get; } = [];

    public ViewDefinition Build(string? comment, IReadOnlyList<string> privileges) => new()
    {
        Schema = Relation.Schema,
        Name = Relation.Name,
        Materialized = Relation.Kind == 'm',
        Definition = Relation.ViewDefinition ?? "",
        Options = Relation.Options,
        Comment = comment,
        Indexes = Indexes,
        Triggers = Triggers,
        Privileges = privileges,
    };
}
