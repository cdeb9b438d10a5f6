using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The SQL of the history, audit and recorded-schema tables (SPEC §7) for any dialect: one template, with names and values
/// quoted and columns typed by <see cref="ISqlDialect"/>. Statements carry line 0: they come from no file.
/// </summary>
/// <remarks>
/// History rows are read oldest first: by <c>applied_at</c>, then by the dialect's <see cref="RowOrder"/> key
/// (PostgreSQL: an identity column <c>id</c>; SQLite: its <c>rowid</c>), so the revisions one transaction
/// records, which share <c>applied_at</c>, read back in the order they were applied. A history table made before
/// the key existed gets it from <see cref="AddRowOrderColumn"/>, and one made before backfills existed gets
/// <see cref="BackfillColumn"/> from <see cref="AddBackfillColumn"/> (NULL in every existing row: nothing outstanding).
/// Parents are stored comma-separated, empty for the base.
/// </remarks>
public sealed class HistorySql : IHistorySql
{
    private const string AppliedColumns = "revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id";

    /// <summary>The column holding the backfill statement a backfilling revision runs next (NULL: nothing outstanding).</summary>
    public const string BackfillColumn = "backfill_statement";

    private const string SchemaRecordColumns = "recorded_at, deploy_id, history_hash, server_version, schema_json";

    public const string AuditColumns = FirstAuditColumns + ", " + AuditEnvironmentColumn;

    /// <summary>The audit columns of the table's first version.</summary>
    public const string FirstAuditColumns =
        "deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail";

    private const string RepeatableColumns = "name, checksum, applied_at, applied_by, execution_ms, deploy_id, sql";
    /// <summary>
    /// The audit column added after the first version of the table (SPEC §14): an audit table made before it
    /// gets it from <see cref="AddAuditEnvironmentColumn"/> the next time a row is appended, keeping every row.
    /// </summary>
    public const string AuditEnvironmentColumn = "environment";

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
        SchemaTable = QualifiedName(history.SchemaTable);
    }

    public HistoryTableName History { get; }

    /// <summary>The schema holding both tables (the configured one or the dialect's default); null where there are no schemas.</summary>
    public string? Schema { get; }

    /// <summary>The quoted (and, where there are schemas, qualified) history table.</summary>
    public string HistoryTable { get; }

    /// <summary>The quoted (and, where there are schemas, qualified) audit table.</summary>
    public string AuditTable { get; }

    /// <summary>The quoted (and, where there are schemas, qualified) table of the recorded schema.</summary>
    public string SchemaTable { get; }

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

    /// <summary>
    /// Adds the <c>environment</c> column to an audit table made before it existed; its old rows read null.
    /// <paramref name="ifNotExists"/> (PostgreSQL) makes it a no-op where another run added it first.
    /// </summary>
    public SqlStatement AddAuditEnvironmentColumn(bool ifNotExists = false) =>
        Statement($"ALTER TABLE {AuditTable} ADD COLUMN {(ifNotExists ? "IF NOT EXISTS " : "")}{AuditEnvironmentColumn} {_types.Text}");

    /// <summary>Adds <see cref="BackfillColumn"/> to a history table made before it existed; every row keeps NULL.</summary>
    public SqlStatement AddBackfillColumn() => Statement($"ALTER TABLE {HistoryTable} ADD COLUMN {BackfillColumn} {_types.BigInt}");

    /// <summary>Records the backfill statement a revision runs next, or (null) that its backfill has finished.</summary>
    public SqlStatement SetBackfillStatement(string revision, int? next) => Statement(
        $"UPDATE {HistoryTable} SET {BackfillColumn} = {(next is int n ? n.ToString(CultureInfo.InvariantCulture) : "NULL")} WHERE revision = {_dialect.QuoteLiteral(revision)}");

    /// <summary>
    /// One statement recording every row given. <see cref="BackfillColumn"/> is written only when a row is
    /// backfilling, so the statement also fits a table from before backfills.
    /// </summary>
    public SqlStatement InsertApplied(IReadOnlyList<AppliedRevision> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        var backfills = rows.Any(r => r.IsBackfilling);
        var sql = new StringBuilder(128 + (rows.Count * 160));
        sql.Append("INSERT INTO ").Append(HistoryTable).Append(" (").Append(AppliedColumns)
            .Append(backfills ? ", " + BackfillColumn : "").Append(") VALUES");
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
                .Append(Literal(row.DeployId))
                .Append(!backfills ? "" : row.BackfillStatement is int next ? ", " + next.ToString(CultureInfo.InvariantCulture) : ", NULL")
                .Append(')');
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

    public SqlStatement UpdateChecksum(string revision, string checksum) =>
        Statement($"UPDATE {HistoryTable} SET checksum = {Literal(checksum)} WHERE revision = {Literal(revision)}");

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
            Literal(entry.Detail),
            Literal(entry.Environment));
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
    /// <summary>
    /// Puts <paramref name="record"/> in place of the recorded schema, creating its table when missing (on a
    /// database migrated before the table existed): the table holds one row, the last record.
    /// </summary>
    public IReadOnlyList<SqlStatement> ReplaceSchemaRecord(RecordedSchema record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var values = string.Join(
            ", ",
            Literal(record.RecordedAt.ToString("O", CultureInfo.InvariantCulture)),
            Literal(record.DeployId),
            Literal(record.HistoryHash),
            Literal(record.ServerVersion),
            Literal(record.Json));
        return
        [
            .. CreateSchema(),
            Statement(
                $"""
                CREATE TABLE IF NOT EXISTS {SchemaTable} (
                    recorded_at {_types.Text} NOT NULL,
                    deploy_id {_types.Text} NOT NULL,
                    history_hash {_types.Text} NOT NULL,
                    server_version {_types.Text} NOT NULL,
                    schema_json {_types.Text} NOT NULL
                )
                """),
            Statement($"DELETE FROM {SchemaTable}"),
            Statement($"INSERT INTO {SchemaTable} ({SchemaRecordColumns}) VALUES ({values})"),
        ];
    }

    /// <summary>The recorded schema (at most one row), every column text, in the order of <see cref="RecordedSchema"/>.</summary>
    public SqlStatement SelectSchemaRecord() => Statement($"SELECT {SchemaRecordColumns} FROM {SchemaTable}");

    public SqlStatement BeginTransaction() => Statement(_dialect.BeginTransaction);

    public SqlStatement Commit() => Statement("COMMIT");

    /// <summary>
    /// Every history row, oldest first; columns in the order of <see cref="AppliedRevision"/>. A table still
    /// without its row order key (<paramref name="rowOrderKeyExists"/> false: not yet upgraded, and read without
    /// the migration lock) is ordered by revision within one <c>applied_at</c>, as before the key existed; one
    /// without <see cref="BackfillColumn"/> reads NULL for it.
    /// </summary>
    public SqlStatement SelectApplied(bool rowOrderKeyExists = true, bool backfillColumnExists = true) =>
        Statement($"SELECT {AppliedColumns}, {(backfillColumnExists ? BackfillColumn : "NULL")} FROM {HistoryTable} ORDER BY applied_at, {(rowOrderKeyExists ? RowOrderKey : "revision")}");

    /// <summary>
    /// Every audit row, oldest first; columns in the order of <see cref="AuditEntry"/>. A table still without its
    /// <c>environment</c> column (<paramref name="environmentColumnExists"/> false: not yet upgraded) reads it as null.
    /// </summary>
    public SqlStatement SelectAudit(bool environmentColumnExists = true) =>
        Statement($"SELECT deploy_id, operation, applied_by, host, tool_version, started_at, finished_at, outcome, revisions, detail, " +
                  $"{(environmentColumnExists ? AuditEnvironmentColumn : "NULL")} FROM {AuditTable} ORDER BY id");

    /// <summary>
    /// The history schema, created only when missing: <c>CREATE SCHEMA IF NOT EXISTS</c> needs the CREATE
    /// privilege on the database even when the schema exists, which the owner of that schema alone lacks.
    /// (Only PostgreSQL has schemas here.)
    /// </summary>
    private SqlStatement[] CreateSchema() =>
        Schema is null || string.Equals(Schema, _dialect.DefaultSchema, StringComparison.Ordinal)
            ? []
            : [Statement(
                $"DO $$BEGIN IF to_regnamespace({_dialect.QuoteLiteral(_dialect.QuoteIdentifier(Schema))}) IS NULL THEN " +
                $"CREATE SCHEMA {_dialect.QuoteIdentifier(Schema)}; END IF; END$$")];

    private SqlStatement CreateHistoryTableStatement()
    {
        // The row order key and the backfill column go last, in the order an upgraded table gets them.
        var rowOrder = _types.RowOrder.ColumnType is { } type ? $",\n    {_types.RowOrder.Key} {type}" : "";
        rowOrder += $",\n    {BackfillColumn} {_types.BigInt}";
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
            detail {_types.Text},
            {AuditEnvironmentColumn} {_types.Text}
        )
        """);

    private string QualifiedName(string name) =>
        Schema is null ? _dialect.QuoteIdentifier(name) : _dialect.QuoteIdentifier(Schema) + "." + _dialect.QuoteIdentifier(name);

    /// <summary><c>NULL</c> or a quoted literal.</summary>
    private string Literal(string? value) => value is null ? "NULL" : _dialect.QuoteLiteral(value);

    private static SqlStatement Statement(string text) => new(text, 0);
}
