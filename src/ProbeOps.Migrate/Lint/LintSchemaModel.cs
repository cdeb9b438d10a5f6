using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint;

/// <summary>What lint knows of one table: who created it, its columns' types, and which columns are proven NOT NULL.</summary>
internal sealed class TableFacts(string createdBy)
{
    public string CreatedBy { get; } = createdBy;

    /// <summary>Column name to type (null when lint could not read it).</summary>
    public Dictionary<string, ColumnType?> Columns { get; } = new(StringComparer.Ordinal);

    /// <summary>Column name to the revision that declared it NOT NULL or validated a <c>CHECK (col IS NOT NULL)</c>.</summary>
    public Dictionary<string, string> ProvenNotNull { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What the revisions read so far did to the schema, as far as the rules need it: tables and who created them, column
/// types, validated NOT NULL checks, indexes and enum types. Built from the recognised statements in graph order, so
/// each revision sees what its ancestors did. Names follow PostgreSQL's folding; a table no revision created is
/// unknown, and an unknown table counts as existing and possibly large.
/// </summary>
internal sealed class LintSchemaModel
{
    private readonly Dictionary<ObjectName, TableFacts> _tables = [];
    private readonly Dictionary<ObjectName, (ObjectName Table, string CreatedBy)> _indexes = [];
    private readonly Dictionary<(ObjectName Table, string Constraint), string> _notValidNotNullChecks = [];

    public TableFacts? Table(ObjectName name) => _tables.GetValueOrDefault(name);

    /// <summary>The table an index was created on, and the revision that created it; null when unknown.</summary>
    public (ObjectName Table, string CreatedBy)? Index(ObjectName name) =>
        _indexes.TryGetValue(name, out var index) ? index : null;

    /// <summary>Records what <paramref name="statement"/>, in <paramref name="revision"/>, did.</summary>
    public void Apply(RecognisedStatement statement, string revision)
    {
        switch (statement)
        {
            case CreateTable create when !(create.IfNotExists && _tables.ContainsKey(create.Table)):
                var facts = new TableFacts(revision);
                foreach (var column in create.Columns)
                    AddColumn(facts, column, revision);
                _tables[create.Table] = facts;
                break;
            case DropTable drop:
                foreach (var table in drop.Tables)
                    _tables.Remove(table);
                break;
            case CreateIndex { Index: { } index } create:
                _indexes.TryAdd(index, (create.Table, revision));
                break;
            case DropIndex drop:
                foreach (var index in drop.Indexes)
                    _indexes.Remove(index);
                break;
            case AlterTable alter:
                foreach (var action in alter.Actions)
                    Apply(alter.Table, action, revision);
                break;
        }
    }

    private void Apply(ObjectName table, AlterAction action, string revision)
    {
        if (action is Rename { Column: null } renamed && _tables.Remove(table, out var moved))
        {
            _tables[table with { Name = renamed.NewName }] = moved;
            return;
        }

        if (Table(table) is not { } facts)
            return;
        switch (action)
        {
            case AddColumn add:
                AddColumn(facts, add.Column, revision);
                break;
            case DropColumn drop:
                facts.Columns.Remove(drop.Column);
                facts.ProvenNotNull.Remove(drop.Column);
                break;
            case AlterColumnType change:
                facts.Columns[change.Column] = change.NewType;
                break;
            case Rename { Column: { } column } rename:
                if (facts.Columns.Remove(column, out var type))
                    facts.Columns[rename.NewName] = type;
                if (facts.ProvenNotNull.Remove(column, out var by))
                    facts.ProvenNotNull[rename.NewName] = by;
                break;
            case SetNotNull set:
                facts.ProvenNotNull.TryAdd(set.Column, revision);
                break;
            case AddConstraint { NotNullColumn: { } column } check:
                if (!check.NotValid)
                    facts.ProvenNotNull.TryAdd(column, revision);
                else if (check.Name is { } name)
                    _notValidNotNullChecks[(table, name)] = column;
                break;
            case ValidateConstraint validate when _notValidNotNullChecks.Remove((table, validate.Name), out var checkedColumn):
                facts.ProvenNotNull.TryAdd(checkedColumn, revision);
                break;
        }
    }

    private static void AddColumn(TableFacts facts, ColumnDefinition column, string revision)
    {
        facts.Columns[column.Name] = column.Type;
        if (column.NotNull)
            facts.ProvenNotNull[column.Name] = revision;
    }
}
