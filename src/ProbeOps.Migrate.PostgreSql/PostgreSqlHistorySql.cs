using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Files;
using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlSyntax;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The SQL of the history and audit tables (SPEC §7), as text with every name and value quoted.
/// Statements carry line 0: they come from no file.
/// </summary>
public sealed class PostgreSqlHistorySql : IHistorySql
{
    public const string DefaultSchema = "public";

    private const string AppliedColumns = "revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id";

    internal const string AuditColumns =
        "deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail";

    private readonly string _historyTable;
    private readonly string _auditTable;

    public PostgreSqlHistorySql(HistoryTableName history)
    {
        ArgumentNullException.ThrowIfNull(history);
        History = history;
        Schema = string.IsNullOrEmpty(history.Schema) ? DefaultSchema : history.Schema;
        _historyTable = QualifiedName(Schema, history.Table);
        _auditTable = QualifiedName(Schema, history.AuditTable);
    }

    public HistoryTableName History { get; }

    /// <summary>The schema holding both tables: the configured one or <c>public</c>.</summary>
    public string Schema { get; }

    /// <summary>The quoted, schema-qualified history table.</summary>
    public string HistoryTable => _historyTable;

    /// <summary>The quoted, schema-qualified audit table.</summary>
    public string AuditTable => _auditTable;

    public IReadOnlyList<SqlStatement> CreateTables()
    {
        var statements = new List<SqlStatement>(3);
        AddCreateSchema(statements);
        statements.Add(Statement(
            $"""
            CREATE TABLE IF NOT EXISTS {_historyTable} (
                revision text PRIMARY KEY,
                parents text NOT NULL,
                message text,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL,
                applied_by text NOT NULL,
                execution_ms bigint NOT NULL,
                deploy_id text NOT NULL
            )
            """));
        statements.Add(CreateAuditTableStatement());
        return statements;
    }

    /// <summary>
    /// The schema (where there is one) and the audit table alone: recording an operation must not
    /// create a history table, or a reset or a failed first deploy would leave one behind.
    /// </summary>
    public IReadOnlyList<SqlStatement> CreateAuditTable()
    {
        var statements = new List<SqlStatement>(2);
        AddCreateSchema(statements);
        statements.Add(CreateAuditTableStatement());
        return statements;
    }

    private void AddCreateSchema(List<SqlStatement> statements)
    {
        if (!string.Equals(Schema, DefaultSchema, StringComparison.Ordinal))
        {
            statements.Add(Statement("CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(Schema)));
        }
    }

    private SqlStatement CreateAuditTableStatement() => Statement(
        $"""
        CREATE TABLE IF NOT EXISTS {_auditTable} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            deploy_id text NOT NULL,
            operation text NOT NULL,
            revisions text NOT NULL,
            applied_by text NOT NULL,
            host text NOT NULL,
            tool_version text NOT NULL,
            started_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            outcome text NOT NULL,
            detail text
        )
        """);

    public SqlStatement InsertApplied(IReadOnlyList<AppliedRevision> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        var sql = new StringBuilder(128 + (rows.Count * 160));
        sql.Append("INSERT INTO ").Append(_historyTable).Append(" (").Append(AppliedColumns).Append(") VALUES");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            sql.Append(i == 0 ? "\n    (" : ",\n    (")
                .Append(QuoteLiteral(row.Revision)).Append(", ")
                .Append(QuoteLiteral(string.Join(',', row.Parents))).Append(", ")
                .Append(QuoteNullableLiteral(row.Message)).Append(", ")
                .Append(QuoteLiteral(row.Checksum)).Append(", ")
                .Append(TimestampLiteral(row.AppliedAt)).Append(", ")
                .Append(QuoteLiteral(row.AppliedBy)).Append(", ")
                .Append(row.ExecutionMilliseconds.ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(QuoteLiteral(row.DeployId)).Append(')');
        }

        return Statement(sql.ToString());
    }

    public SqlStatement DeleteApplied(IReadOnlyList<string> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        return revisions.Count == 0
            ? Statement($"DELETE FROM {_historyTable} WHERE false")
            : Statement($"DELETE FROM {_historyTable} WHERE revision IN ({LiteralList(revisions)})");
    }

    public SqlStatement DeleteAllApplied() => Statement($"DELETE FROM {_historyTable}");

    public SqlStatement InsertAudit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var values = string.Join(
            ", ",
            QuoteLiteral(entry.DeployId),
            QuoteLiteral(entry.Operation),
            QuoteLiteral(entry.Revisions),
            QuoteLiteral(entry.User),
            QuoteLiteral(entry.Host),
            QuoteLiteral(entry.ToolVersion),
            TimestampLiteral(entry.StartedAt),
            TimestampLiteral(entry.FinishedAt),
            QuoteLiteral(entry.Outcome),
            QuoteNullableLiteral(entry.Detail));
        return Statement($"INSERT INTO {_auditTable} ({AuditColumns}) VALUES ({values})");
    }

    public SqlStatement BeginTransaction() => Statement("BEGIN");

    public SqlStatement Commit() => Statement("COMMIT");

    /// <summary>Every history row, oldest first; columns in the order of <see cref="AppliedRevision"/>.</summary>
    public SqlStatement SelectApplied() =>
        Statement($"SELECT {AppliedColumns} FROM {_historyTable} ORDER BY applied_at, revision");

    /// <summary>Every audit row, oldest first; columns in the order of <see cref="AuditEntry"/>.</summary>
    public SqlStatement SelectAudit() =>
        Statement($"SELECT deploy_id, operation, applied_by, host, tool_version, started_at, finished_at, outcome, revisions, detail FROM {_auditTable} ORDER BY id");

    /// <summary>Whether the history and audit tables exist: two nullable <c>regclass</c> columns.</summary>
    public SqlStatement SelectTablesExist() =>
        Statement($"SELECT to_regclass({QuoteLiteral(_historyTable)}) IS NOT NULL, to_regclass({QuoteLiteral(_auditTable)}) IS NOT NULL");

    private static SqlStatement Statement(string text) => new(text, 0);
}
