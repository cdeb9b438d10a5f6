namespace ProbeOps.Migrate.Lint.Recognition;

/// <summary>PostgreSQL's table lock modes that matter to a database in service, weakest first.</summary>
internal enum LockMode
{
    None,
    ShareUpdateExclusive,
    Share,
    ShareRowExclusive,
    Exclusive,
    AccessExclusive,
}

/// <summary>What a statement is, as far as the lint rules need to know.</summary>
internal abstract record RecognisedStatement;

internal sealed record CreateTable(ObjectName Table, bool IfNotExists, IReadOnlyList<ColumnDefinition> Columns) : RecognisedStatement;

internal sealed record CreateIndex(ObjectName? Index, ObjectName Table, bool Unique, bool Concurrently, bool IfNotExists) : RecognisedStatement;

internal sealed record DropIndex(IReadOnlyList<ObjectName> Indexes, bool Concurrently, bool IfExists) : RecognisedStatement;

/// <param name="Target">INDEX, TABLE, SCHEMA, DATABASE or SYSTEM.</param>
internal sealed record Reindex(string Target, ObjectName? Name, bool Concurrently) : RecognisedStatement;

internal sealed record AlterTable(ObjectName Table, IReadOnlyList<AlterAction> Actions) : RecognisedStatement
{
    public LockMode Lock => Actions.Count == 0 ? LockMode.AccessExclusive : Actions.Max(a => a.Lock);
}

internal sealed record DropTable(IReadOnlyList<ObjectName> Tables) : RecognisedStatement;

internal sealed record Truncate(IReadOnlyList<ObjectName> Tables) : RecognisedStatement;

/// <param name="Tables">The tables named; empty for the whole database.</param>
internal sealed record VacuumFull(IReadOnlyList<ObjectName> Tables) : RecognisedStatement;

internal sealed record Cluster(ObjectName Table) : RecognisedStatement;

internal sealed record CreateEnum(ObjectName Type) : RecognisedStatement;

internal sealed record AddEnumValue(ObjectName Type, string Value) : RecognisedStatement;

/// <summary>UPDATE or DELETE.</summary>
/// <param name="Bounded">Whether a LIMIT or a WHERE other than <c>col IS [NOT] NULL</c> tests bounds the rows changed.</param>
internal sealed record DataChange(string Verb, ObjectName Table, bool Bounded) : RecognisedStatement;

/// <summary>A statement whose only interest is the lock it takes (<c>LOCK TABLE</c>, <c>CREATE TRIGGER</c>).</summary>
internal sealed record TableLock(IReadOnlyList<ObjectName> Tables, LockMode Mode) : RecognisedStatement;

/// <summary>Anything else: no rule looks at it beyond the enum values it may use.</summary>
internal sealed record OtherStatement : RecognisedStatement
{
    public static OtherStatement Instance { get; } = new();
}

/// <summary>One action of an <c>ALTER TABLE</c>.</summary>
/// <param name="Description">The action's text, for messages.</param>
internal abstract record AlterAction(string Description)
{
    public virtual LockMode Lock => LockMode.AccessExclusive;
}

internal sealed record AddColumn(string Description, ColumnDefinition Column) : AlterAction(Description);

internal sealed record DropColumn(string Description, string Column) : AlterAction(Description);

/// <param name="NewType">The new type; null when lint cannot read it.</param>
/// <param name="HasUsing">Whether a <c>USING</c> expression converts the values (always a rewrite).</param>
internal sealed record AlterColumnType(string Description, string Column, ColumnType? NewType, bool HasUsing) : AlterAction(Description);

internal sealed record SetNotNull(string Description, string Column) : AlterAction(Description);

internal enum ConstraintKind
{
    Check,
    Unique,
    PrimaryKey,
    ForeignKey,
    Exclude,
}

/// <param name="NotNullColumn">For <c>CHECK (col IS NOT NULL)</c>, the column; else null.</param>
/// <param name="References">For a foreign key, the referenced table.</param>
internal sealed record AddConstraint(
    string Description,
    ConstraintKind Kind,
    string? Name,
    bool NotValid,
    bool UsingIndex,
    string? NotNullColumn,
    ObjectName? References) : AlterAction(Description)
{
    public override LockMode Lock => Kind == ConstraintKind.ForeignKey ? LockMode.ShareRowExclusive : LockMode.AccessExclusive;
}

internal sealed record ValidateConstraint(string Description, string Name) : AlterAction(Description)
{
    public override LockMode Lock => LockMode.ShareUpdateExclusive;
}

/// <summary><c>RENAME TO</c> (<paramref name="Column"/> null) or <c>RENAME [COLUMN] col TO</c>.</summary>
internal sealed record Rename(string Description, string? Column, string NewName) : AlterAction(Description);

/// <summary>An action that rewrites the table: <c>SET LOGGED | UNLOGGED | TABLESPACE | ACCESS METHOD</c>.</summary>
internal sealed record RewritingAction(string Description) : AlterAction(Description);

/// <summary>Any other action, with the lock it takes.</summary>
internal sealed record OtherAction(string Description, LockMode ActionLock) : AlterAction(Description)
{
    public override LockMode Lock => ActionLock;
}

/// <summary>How a new column's default is computed.</summary>
internal enum DefaultKind
{
    None,

    /// <summary><c>DEFAULT NULL</c>: no value to write.</summary>
    Null,

    /// <summary>Evaluated once (a constant, <c>now()</c>): stored in the catalog from PostgreSQL 11.</summary>
    Stable,

    /// <summary>Evaluated per row (<c>gen_random_uuid()</c>, <c>random()</c>, <c>nextval()</c>): every row is written.</summary>
    Volatile,
}

/// <summary>A column as a <c>CREATE TABLE</c> or <c>ADD COLUMN</c> declares it.</summary>
internal sealed record ColumnDefinition(
    string Name,
    ColumnType? Type,
    bool NotNull,
    DefaultKind Default,
    string? VolatileFunction,
    bool Identity,
    bool StoredGenerated,
    bool UniqueOrPrimaryKey)
{
    /// <summary>serial types fill every row from a sequence.</summary>
    public bool Serial => Type?.IsSerial == true;
}
