namespace ProbeOps.Migrate.Schema;

/// <summary>The kinds of object a schema model holds; the report names them in lower case.</summary>
public enum SchemaObjectKind
{
    Schema,
    Extension,
    Table,
    Column,
    Constraint,
    Index,
    Trigger,
    Policy,
    Sequence,
    View,
    MaterializedView,
    Function,
    Procedure,
    Aggregate,
    Type,
    Domain,
}

/// <summary>The words the report uses for each kind.</summary>
public static class SchemaObjectKinds
{
    public static string Describe(this SchemaObjectKind kind) => kind switch
    {
        SchemaObjectKind.MaterializedView => "materialized view",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
