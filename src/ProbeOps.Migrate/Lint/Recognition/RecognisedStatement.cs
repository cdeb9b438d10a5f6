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

/// <summary>UPDATE, DELETE, INSERT or MERGE (after any WITH list), and what bounds the rows it changes.</summary>
/// <param name="Verb">UPDATE, DELETE, INSERT or MERGE.</param>
/// <param name="Table">The table changed.</param>
/// <param name="Limited">Whether a LIMIT or FETCH anywhere (a subquery, a WITH query) picks a batch.</param>
internal sealed record DataChange(string Verb, ObjectName Table, bool Limited) : RecognisedStatement
{
    /// <summary>UPDATE or DELETE: a top-level WHERE other than <c>col IS [NOT] NULL</c> tests, which reach every row.</summary>
    public bool Filtered { get; init; }

    /// <summary>The top-level WHERE gives one column a lower and an upper bound, or <c>BETWEEN</c>: a keyset range.</summary>
    public bool KeysetRange { get; init; }

    /// <summary>INSERT ... SELECT or MERGE: rows come from a query, as many as it returns.</summary>
    public bool Copies { get; init; }

    /// <summary>The table an INSERT ... SELECT or a MERGE reads, when it names one.</summary>
    public ObjectName? Source { get; init; }

    /// <summary>Whether the statement changes a bounded set of rows in the transaction it runs in (PL181).</summary>
    public bool BoundedInOneRun => Limited || (Copies ? Source is null : Verb == "INSERT" || Filtered);

    /// <summary>Whether each run of a backfill changes a bounded batch (PL182): a LIMIT or a keyset range.</summary>
    public bool BoundedPerRun => Limited || KeysetRange;
}

/// <summary>A statement whose only interest is the lock it takes (<c>LOCK TABLE</c>, <c>CREATE TRIGGER</c>).</summary>
internal sealed record TableLock(IReadOnlyList<ObjectName> Tables, LockMode Mode) : RecognisedStatement;

/// <summary>Anything else: no rule looks at it beyond the enum values it may use.</summary>
internal sealed record OtherStatement : RecognisedStatement
{
    public static OtherStatement Instance { get; } = new();
}

/// <summary>The text of tokens [Start, End) of a statement, joined only when a message needs it.</summary>
internal readonly record struct ActionText(StatementTokens Tokens, int Start, int End)
{
    public override string ToString() => Tokens.Join(Start, End);
}

/// <summary>One action of an <c>ALTER TABLE</c>.</summary>
/// <param name="Description">The action's text, for messages.</param>
internal abstract record AlterAction(ActionText Description)
{
    public virtual LockMode Lock => LockMode.AccessExclusive;
}

internal sealed record AddColumn(ActionText Description, ColumnDefinition Column) : AlterAction(Description);

internal sealed record DropColumn(ActionText Description, string Column) : AlterAction(Description);

/// <param name="NewType">The new type; null when lint cannot read it.</param>
/// <param name="HasUsing">Whether a <c>USING</c> expression converts the values (always a rewrite).</param>
internal sealed record AlterColumnType(ActionText Description, string Column, ColumnType? NewType, bool HasUsing) : AlterAction(Description);

internal sealed record SetNotNull(ActionText Description, string Column) : AlterAction(Description);

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
    ActionText Description,
    ConstraintKind Kind,
    string? Name,
    bool NotValid,
    bool UsingIndex,
    string? NotNullColumn,
    ObjectName? References) : AlterAction(Description)
{
    public override LockMode Lock => Kind == ConstraintKind.ForeignKey ? LockMode.ShareRowExclusive : LockMode.AccessExclusive;
}

internal sealed record ValidateConstraint(ActionText Description, string Name) : AlterAction(Description)
{
    public override LockMode Lock => LockMode.ShareUpdateExclusive;
}

/// <summary><c>RENAME TO</c> (<paramref name="Column"/> null) or <c>RENAME [COLUMN] col TO</c>.</summary>
internal sealed record Rename(ActionText Description, string? Column, string NewName) : AlterAction(Description);

/// <summary>An action that rewrites the table: <c>SET LOGGED | UNLOGGED | TABLESPACE | ACCESS METHOD</c>.</summary>
internal sealed record RewritingAction(ActionText Description) : AlterAction(Description);

/// <summary>Any other action, with the lock it takes.</summary>
internal sealed record OtherAction(ActionText Description, LockMode ActionLock) : AlterAction(Description)
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
