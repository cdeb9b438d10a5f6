using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// The history and audit SQL for SQLite, as text with every identifier and value quoted. SQLite has no
/// schemas, so <see cref="HistoryTableName.Schema"/> is ignored. Timestamps are ISO-8601 UTC text with
/// a fixed width (<c>2025-05-14T09:30:00.0000000Z</c>), so they sort as text and read back exactly.
/// Parents are stored comma-separated, empty for the base.
/// </summary>
public sealed class SqliteHistorySql(HistoryTableName history) : IHistorySql
{
    /// <summary>The format of every stored timestamp.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private const string HistoryColumns = "revision, parents, message, checksum, applied_at, applied_by, execution_ms, deploy_id";
    internal const string AuditColumns = "deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail";

    public HistoryTableName History { get; } = history ?? throw new ArgumentNullException(nameof(history));

    public IReadOnlyList<SqlStatement> CreateTables() => [CreateHistoryTable(), CreateAuditTable()];

    public SqlStatement CreateHistoryTable() => Generated(
        $"""
        CREATE TABLE IF NOT EXISTS {QuoteIdentifier(History.Table)} (
            revision TEXT NOT NULL PRIMARY KEY,
            parents TEXT NOT NULL,
            message TEXT,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            execution_ms INTEGER NOT NULL,
            deploy_id TEXT NOT NULL
        )
        """);

    public SqlStatement CreateAuditTable() => Generated(
        $"""
        CREATE TABLE IF NOT EXISTS {QuoteIdentifier(History.AuditTable)} (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            deploy_id TEXT NOT NULL,
            operation TEXT NOT NULL,
            revisions TEXT NOT NULL,
            applied_by TEXT NOT NULL,
            host TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT
        )
        """);

    public SqlStatement InsertApplied(IReadOnlyList<AppliedRevision> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new ArgumentException("At least one row is needed.", nameof(rows));
        }

        var text = new StringBuilder(128 + (rows.Count * 160));
        text.Append("INSERT INTO ").Append(QuoteIdentifier(History.Table)).Append(" (").Append(HistoryColumns).Append(") VALUES");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            text.Append(i == 0 ? "\n(" : ",\n(")
                .Append(QuoteLiteral(row.Revision)).Append(", ")
                .Append(QuoteLiteral(string.Join(',', row.Parents))).Append(", ")
                .Append(QuoteLiteral(row.Message)).Append(", ")
                .Append(QuoteLiteral(row.Checksum)).Append(", ")
                .Append(QuoteLiteral(FormatTimestamp(row.AppliedAt))).Append(", ")
                .Append(QuoteLiteral(row.AppliedBy)).Append(", ")
                .Append(row.ExecutionMilliseconds.ToString(CultureInfo.InvariantCulture)).Append(", ")
                .Append(QuoteLiteral(row.DeployId)).Append(')');
        }

        return Generated(text.ToString());
    }

    public SqlStatement DeleteApplied(IReadOnlyList<string> revisions)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (revisions.Count == 0)
        {
            throw new ArgumentException("At least one revision is needed.", nameof(revisions));
        }

        var text = new StringBuilder(64 + (revisions.Count * 40));
        text.Append("DELETE FROM ").Append(QuoteIdentifier(History.Table)).Append(" WHERE revision IN (");
        for (var i = 0; i < revisions.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(QuoteLiteral(revisions[i]));
        }

        return Generated(text.Append(')').ToString());
    }

    public SqlStatement DeleteAllApplied() => Generated("DELETE FROM " + QuoteIdentifier(History.Table));

    public SqlStatement InsertAudit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string[] values =
        [
            QuoteLiteral(entry.DeployId),
            QuoteLiteral(entry.Operation),
            QuoteLiteral(entry.Revisions),
            QuoteLiteral(entry.User),
            QuoteLiteral(entry.Host),
            QuoteLiteral(entry.ToolVersion),
            QuoteLiteral(FormatTimestamp(entry.StartedAt)),
            QuoteLiteral(FormatTimestamp(entry.FinishedAt)),
            QuoteLiteral(entry.Outcome),
            QuoteLiteral(entry.Detail),
        ];
        return Generated(
            $"INSERT INTO {QuoteIdentifier(History.AuditTable)} ({AuditColumns}) VALUES\n({string.Join(", ", values)})");
    }

    /// <summary>IMMEDIATE takes the write lock at once rather than failing on a later lock upgrade.</summary>
    public SqlStatement BeginTransaction() => Generated("BEGIN IMMEDIATE");

    public SqlStatement Commit() => Generated("COMMIT");

    /// <summary>Quotes an identifier: <c>a"b</c> becomes <c>"a""b"</c>.</summary>
    public static string QuoteIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes a text value: <c>it's</c> becomes <c>'it''s'</c>; null becomes <c>NULL</c>.</summary>
    public static string QuoteLiteral(string? value) =>
        value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a stored timestamp; tolerates other ISO-8601 forms written by hand.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    // Generated statements come from no file: line 0.
    private static SqlStatement Generated(string text) => new(text, 0);
}
