using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The SQL of the history and audit tables (SPEC §7) for any dialect: one template, with names and values
/// quoted and columns typed by <see cref="ISqlDialect"/>. Statements carry line 0: they come from no file.
/// </summary>
/// <remarks>
/// History rows are read oldest first: by <c>applied_at</c>, then by the dialect's <see cref="RowOrder"/> key
/// (PostgreSQL: an identity column <c>id</c>; SQLite: its <c>rowid</c>), so the revisions one transaction
/// records, which share <c>applied_at</c>, read back in the order they were applied. A history table made before
/// the key existed gets it from <see cref="AddRowOrderColumn"/>. Parents are stored comma-separated, empty for
/// the base.
/// </remarks>
public sealed class HistorySql : IHistorySql
{
    private const string AppliedColumns = "revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id";

    public const string AuditColumns =
        "deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail";

    private const string RepeatableColumns = "name, checksum, applied_at, applied_by, execution_ms, deploy_id, sql";

    private readonly ISqlDialect _dialect;
    private readonly SqlColumnTypes _types;

    public HistorySql(ISqlDialect dialect, HistoryTableName history)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(history);
        _dialect = dialect;
        _types = dialect.Types;
        History = history;
        Schema = dialect.DefaultSchema is null ? null
            : string.IsNullOrEmpty(history.Schema) ? dialect.DefaultSchema : history.Schema;
        HistoryTable = QualifiedName(history.Table);
        AuditTable = QualifiedName(history.AuditTable);
    }

    public HistoryTableName History { get; }

    /// <summary>The schema holding both tables (the configured one or the dialect's default); null where there are no schemas.</summary>
    public string? Schema { get; }

    /// <summary>The quoted (and, where there are schemas, qualified) history table.</summary>
    public string HistoryTable { get; }

    /// <summary>The quoted (and, where there are schemas, qualified) audit table.</summary>
    public string AuditTable { get; }

    /// <summary>The expression history rows of one <c>applied_at</c> are ordered by.</summary>
    public string RowOrderKey => _types.RowOrder.Key;

    public IReadOnlyList<SqlStatement> CreateTables() => [.. CreateSchema(), CreateHistoryTableStatement(), CreateAuditTableStatement()];

    /// <summary>The schema (where there is one) and the history table alone.</summary>
    public IReadOnlyList<SqlStatement> CreateHistoryTable() => [.. CreateSchema(), CreateHistoryTableStatement()];

    /// <summary>
    /// The schema (where there is one) and the audit table alone: recording an operation must not create a
    /// history table, or a reset or a failed first deploy would leave one behind.
    /// </summary>
    public IReadOnlyList<SqlStatement> CreateAuditTable() => [.. CreateSchema(), CreateAuditTableStatement()];

    /// <summary>
    /// Adds the row order key to a history table made before it existed (existing rows are numbered as they lie);
    /// null when the dialect numbers every row itself.
    /// </summary>
    public SqlStatement? AddRowOrderColumn() => _types.RowOrder.ColumnType is { } type
        ? Statement($"ALTER TABLE {HistoryTable} ADD COLUMN {_types.RowOrder.Key} {type}")
        : null;

    public SqlStatement InsertApplied(IReadOnlyList<AppliedRevision> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        var sql = new StringBuilder(128 + (rows.Count * 160));
        sql.Append("INSERT INTO ").Append(HistoryTable).Append(" (").Append(AppliedColumns).Append(") VALUES");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            sql.Append(i == 0 ? "\n    (" : ",\n    (")
                .Append(Literal(row.Revision)).Append(", ")
                .Append(Literal(string.Join(',', row.Parents))).Append(", ")
                .Append(Literal(row.Message)).Append(", ")
                .Append(Literal(row.Checksum)).Append(", ")
                .Append(_dialect.TimestampLiteral(row.AppliedAt)).Append(", ")
                .Append(Literal(row.AppliedBy)).Append(", ")
                .Append(row.ExecutionMilliseconds.ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(Literal(row.DeployId)).Append(')');
        }

        return Statement(sql.ToString());
    }

    public SqlStatement DeleteApplied(IReadOnlyList<string> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (revisions.Count == 0)
        {
            throw new ArgumentException("At least one revision is needed.", nameof(revisions));
        }

        return Statement($"DELETE FROM {HistoryTable} WHERE revision IN ({string.Join(", ", revisions.Select(_dialect.QuoteLiteral))})");
    }

    public SqlStatement DeleteAllApplied() => Statement($"DELETE FROM {HistoryTable}");

    public SqlStatement InsertAudit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var values = string.Join(
            ", ",
            Literal(entry.DeployId),
            Literal(entry.Operation),
            Literal(entry.Revisions),
            Literal(entry.User),
            Literal(entry.Host),
            Literal(entry.ToolVersion),
            _dialect.TimestampLiteral(entry.StartedAt),
            _dialect.TimestampLiteral(entry.FinishedAt),
            Literal(entry.Outcome),
            Literal(entry.Detail));
        return Statement($"INSERT INTO {AuditTable} ({AuditColumns}) VALUES ({values})");
    }

    /// <summary>The quoted (and, where there are schemas, qualified) table of repeatable applications.</summary>
    public string RepeatableTable => QualifiedName(History.RepeatableTable);

    public IReadOnlyList<SqlStatement> CreateRepeatableTable() => [.. CreateSchema(), Statement(
        $"""
        CREATE TABLE IF NOT EXISTS {RepeatableTable} (
            id {_types.IdentityKey},
            name {_types.Text} NOT NULL,
            checksum {_types.Text} NOT NULL,
            applied_at {_types.Timestamp} NOT NULL,
            applied_by {_types.Text} NOT NULL,
            execution_ms {_types.BigInt} NOT NULL,
            deploy_id {_types.Text} NOT NULL,
            sql {_types.Text} NOT NULL
        )
        """)];

    public SqlStatement InsertRepeatables(IReadOnlyList<AppliedRepeatable> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        var values = rows.Select(row => string.Join(
            ", ",
            Literal(row.Name),
            Literal(row.Checksum),
            _dialect.TimestampLiteral(row.AppliedAt),
            Literal(row.AppliedBy),
            row.ExecutionMilliseconds.ToString(CultureInfo.InvariantCulture),
            Literal(row.DeployId),
            Literal(row.Sql)));
        return Statement($"INSERT INTO {RepeatableTable} ({RepeatableColumns}) VALUES\n    ({string.Join("),\n    (", values)})");
    }

    /// <summary>Every application of a repeatable, oldest first; columns in the order of <see cref="AppliedRepeatable"/>.</summary>
    public SqlStatement SelectRepeatables() =>
        Statement($"SELECT {RepeatableColumns} FROM {RepeatableTable} ORDER BY id");

    public SqlStatement BeginTransaction() => Statement(_dialect.BeginTransaction);

    public SqlStatement Commit() => Statement("COMMIT");

    /// <summary>
    /// Every history row, oldest first; columns in the order of <see cref="AppliedRevision"/>. A table still
    /// without its row order key (<paramref name="rowOrderKeyExists"/> false: not yet upgraded, and read without
    /// the migration lock) is ordered by revision within one <c>applied_at</c>, as before the key existed.
    /// </summary>
    public SqlStatement SelectApplied(bool rowOrderKeyExists = true) =>
        Statement($"SELECT {AppliedColumns} FROM {HistoryTable} ORDER BY applied_at, {(rowOrderKeyExists ? RowOrderKey : "revision")}");

    /// <summary>Every audit row, oldest first; columns in the order of <see cref="AuditEntry"/>.</summary>
    public SqlStatement SelectAudit() =>
        Statement($"SELECT deploy_id, operation, applied_by, host, tool_version, started_at, finished_at, outcome, revisions, detail FROM {AuditTable} ORDER BY id");

    private SqlStatement[] CreateSchema() =>
        Schema is null || string.Equals(Schema, _dialect.DefaultSchema, StringComparison.Ordinal)
            ? []
            : [Statement("CREATE SCHEMA IF NOT EXISTS " + _dialect.QuoteIdentifier(Schema))];

    private SqlStatement CreateHistoryTableStatement()
    {
        // The row order key goes last, where an upgraded table has it too.
        var rowOrder = _types.RowOrder.ColumnType is { } type ? $",\n    {_types.RowOrder.Key} {type}" : "";
        return Statement(
            $"""
            CREATE TABLE IF NOT EXISTS {HistoryTable} (
                revision {_types.Text} NOT NULL PRIMARY KEY,
                parents {_types.Text} NOT NULL,
                message {_types.Text},
                checksum {_types.Text} NOT NULL,
                applied_at {_types.Timestamp} NOT NULL,
                applied_by {_types.Text} NOT NULL,
                execution_ms {_types.BigInt} NOT NULL,
                deploy_id {_types.Text} NOT NULL{rowOrder}
            )
            """);
    }

    private SqlStatement CreateAuditTableStatement() => Statement(
        $"""
        CREATE TABLE IF NOT EXISTS {AuditTable} (
            id {_types.IdentityKey},
            deploy_id {_types.Text} NOT NULL,
            operation {_types.Text} NOT NULL,
            revisions {_types.Text} NOT NULL,
            applied_by {_types.Text} NOT NULL,
            host {_types.Text} NOT NULL,
            tool_version {_types.Text} NOT NULL,
            started_at {_types.Timestamp} NOT NULL,
            finished_at {_types.Timestamp} NOT NULL,
            outcome {_types.Text} NOT NULL,
            detail {_types.Text}
        )
        """);

    private string QualifiedName(string name) =>
        Schema is null ? _dialect.QuoteIdentifier(name) : _dialect.QuoteIdentifier(Schema) + "." + _dialect.QuoteIdentifier(name);

    /// <summary><c>NULL</c> or a quoted literal.</summary>
    private string Literal(string? value) => value is null ? "NULL" : _dialect.QuoteLiteral(value);

    private static SqlStatement Statement(string text) => new(text, 0);
}
