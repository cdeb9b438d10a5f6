using ProbeOps.Migrate.Files;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The history and audit tables, read and written on the session's connection and inside its
/// current transaction, so history rows commit or roll back with the migrations they record.
/// </summary>
public sealed class PostgreSqlHistoryStore : IHistoryStore
{
    private readonly PostgreSqlExecutor _executor;
    private readonly HistorySql _sql;

    internal PostgreSqlHistoryStore(PostgreSqlExecutor executor, HistorySql sql)
    {
        _executor = executor;
        _sql = sql;
    }

    /// <summary>
    /// Creates the tables if missing, and gives a history table made before the row order key or the backfill
    /// column existed the column it lacks: once, in the caller's transaction (a run's, under the migration lock),
    /// keeping every row.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _executor.RunBatchAsync(_sql.CreateTables().Select(s => s.Text), cancellationToken);
        var tables = await TablesExistAsync(cancellationToken);
        if (!tables.RowOrderKey && _sql.AddRowOrderColumn() is { } addKey)
        {
            await _executor.RunAsync(addKey.Text, cancellationToken);
        }

        if (!tables.BackfillColumn)
        {
            await _executor.RunAsync(_sql.AddBackfillColumn().Text, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AppliedRevision>> ReadAppliedAsync(CancellationToken cancellationToken)
    {
        var tables = await TablesExistAsync(cancellationToken);
        if (!tables.History)
        {
            return [];
        }

        return await _executor.QueryAsync(_sql.SelectApplied(tables.RowOrderKey, tables.BackfillColumn).Text, ReadApplied, cancellationToken);
    }

    /// <summary>
    /// Computed by the server: one row whatever the history's length. The lines are those of <see cref="RevisionDigest"/>,
    /// ordered by their UTF-8 bytes as it orders them.
    /// </summary>
    public async Task<HistoryDigest> ReadDigestAsync(CancellationToken cancellationToken)
    {
        var tables = await TablesExistAsync(cancellationToken);
        if (!tables.History)
        {
            return HistoryDigest.Of([]);
        }

        const string line = "revision || E'\\t' || checksum || E'\\n'";
        var backfilling = tables.BackfillColumn ? $"coalesce(bool_or({HistorySql.BackfillColumn} IS NOT NULL), false)" : "false";
        return await _executor.QuerySingleAsync(
            $"SELECT count(*)::int, encode(sha256(convert_to(coalesce(string_agg({line}, '' ORDER BY convert_to({line}, 'UTF8')), ''), 'UTF8')), 'hex'), {backfilling} FROM {_sql.HistoryTable}",
            r => new HistoryDigest(r.GetInt32(0), r.GetString(1), r.GetBoolean(2)),
            cancellationToken);
    }

    public async Task SetBackfillStatementAsync(string revision, int? next, CancellationToken cancellationToken) =>
        await _executor.RunAsync(_sql.SetBackfillStatement(revision, next).Text, cancellationToken);

    public async Task RecordAppliedAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            await _executor.RunAsync(_sql.InsertApplied(rows).Text, cancellationToken);
        }
    }

    public async Task RemoveAppliedAsync(IReadOnlyList<string> revisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (revisions.Count > 0)
        {
            await _executor.RunAsync(_sql.DeleteApplied(revisions).Text, cancellationToken);
        }
    }

    public async Task ReplaceAllAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var statements = new List<string>(2) { _sql.DeleteAllApplied().Text };
        if (rows.Count > 0)
        {
            statements.Add(_sql.InsertApplied(rows).Text);
        }

        if (_executor.InTransaction)
        {
            await _executor.RunBatchAsync(statements, cancellationToken);
            return;
        }

        // Never leave a half-replaced history: delete and insert commit together.
        await _executor.BeginTransactionAsync(cancellationToken);
        try
        {
            await _executor.RunBatchAsync(statements, cancellationToken);
            await _executor.CommitAsync(cancellationToken);
        }
        catch
        {
            await _executor.RollbackAsync(cancellationToken);
            throw;
        }
    }

    public async Task<IReadOnlyList<AppliedRepeatable>> ReadRepeatablesAsync(CancellationToken cancellationToken)
    {
        var exists = await _executor.QuerySingleAsync(
            $"SELECT to_regclass({PostgreSqlSyntax.QuoteLiteral(_sql.RepeatableTable)}) IS NOT NULL", r => r.GetBoolean(0), cancellationToken);
        return exists ? await _executor.QueryAsync(_sql.SelectRepeatables().Text, ReadRepeatable, cancellationToken) : [];
    }

    public async Task RecordRepeatablesAsync(IReadOnlyList<AppliedRepeatable> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            await _executor.RunBatchAsync(_sql.CreateRepeatableTable().Append(_sql.InsertRepeatables(rows)).Select(s => s.Text), cancellationToken);
        }
    }

    /// <summary>
    /// Appends one row. Creating the audit table, or giving one made before the <c>environment</c> column that
    /// column (in place, every row kept), rides in the same round trip as the insert; the history table is not touched.
    /// </summary>
    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var tables = await TablesExistAsync(cancellationToken);
        var statements = _sql.CreateAuditTable().Select(s => s.Text).ToList();
        if (tables.Audit && !tables.AuditEnvironment)
        {
            // IF NOT EXISTS: another run may add it between the check and here.
            statements.Add(_sql.AddAuditEnvironmentColumn(ifNotExists: true).Text);
        }

        statements.Add(_sql.InsertAudit(entry).Text);
        await _executor.RunBatchAsync(statements, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        var tables = await TablesExistAsync(cancellationToken);
        if (!tables.Audit)
        {
            return [];
        }

        return await _executor.QueryAsync(_sql.SelectAudit(tables.AuditEnvironment).Text, ReadAudit, cancellationToken);
    }

    /// <summary>Whether the history table exists and holds at least one row.</summary>
    internal async Task<bool> HasAppliedAsync(CancellationToken cancellationToken)
    {
        return (await TablesExistAsync(cancellationToken)).History && await _executor.QuerySingleAsync(
            $"SELECT EXISTS (SELECT 1 FROM {_sql.HistoryTable})",
            r => r.GetBoolean(0),
            cancellationToken);
    }

    /// <summary>Whether the history and audit tables exist, and which of the later columns the history and audit tables have.</summary>
    internal async Task<HistoryTables> TablesExistAsync(CancellationToken cancellationToken) =>
        await _executor.QuerySingleAsync(
            SelectTablesExist(_sql),
            r => new HistoryTables(r.GetBoolean(0), r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4)),
            cancellationToken);

    /// <summary>
    /// Five booleans: the history table exists, the audit table exists, the history table has the row order key,
    /// the history table has the backfill column, and the audit table has the <c>environment</c> column.
    /// </summary>
    internal static string SelectTablesExist(HistorySql sql)
    {
        var history = PostgreSqlSyntax.QuoteLiteral(sql.HistoryTable);
        var audit = PostgreSqlSyntax.QuoteLiteral(sql.AuditTable);
        return $"SELECT to_regclass({history}) IS NOT NULL, to_regclass({audit}) IS NOT NULL, "
            + $"{ColumnExists(history, sql.RowOrderKey)}, {ColumnExists(history, HistorySql.BackfillColumn)}, {ColumnExists(audit, HistorySql.AuditEnvironmentColumn)}";
    }

    private static string ColumnExists(string quotedTable, string column) =>
        $"EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass({quotedTable}) AND attname = {PostgreSqlSyntax.QuoteLiteral(column)} AND NOT attisdropped)";

    private static AppliedRevision ReadApplied(NpgsqlDataReader r) => new(
        Revision: r.GetString(0),
        Parents: r.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries),
        Message: r.IsDBNull(2) ? null : r.GetString(2),
        Checksum: r.GetString(3),
        AppliedAt: Utc(r.GetDateTime(4)),
        AppliedBy: r.GetString(5),
        ExecutionMilliseconds: r.GetInt64(6),
        DeployId: r.GetString(7),
        BackfillStatement: r.IsDBNull(8) ? null : (int)r.GetInt64(8));

    private static AppliedRepeatable ReadRepeatable(NpgsqlDataReader r) => new(
        Name: r.GetString(0),
        Checksum: r.GetString(1),
        AppliedAt: Utc(r.GetDateTime(2)),
        AppliedBy: r.GetString(3),
        ExecutionMilliseconds: r.GetInt64(4),
        DeployId: r.GetString(5),
        Sql: r.GetString(6));

    private static AuditEntry ReadAudit(NpgsqlDataReader r) => new(
        DeployId: r.GetString(0),
        Operation: r.GetString(1),
        User: r.GetString(2),
        Host: r.GetString(3),
        ToolVersion: r.GetString(4),
        StartedAt: Utc(r.GetDateTime(5)),
        FinishedAt: Utc(r.GetDateTime(6)),
        Outcome: r.GetString(7),
        Revisions: r.GetString(8),
        Detail: r.IsDBNull(9) ? null : r.GetString(9),
        Environment: r.IsDBNull(10) ? null : r.GetString(10));

    /// <summary>Npgsql reads <c>timestamptz</c> as a UTC <see cref="DateTime"/>.</summary>
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

/// <summary>What of the tool's tables exists: the history and audit tables, and the history table's later columns.</summary>
internal readonly record struct HistoryTables(bool History, bool Audit, bool RowOrderKey, bool BackfillColumn, bool AuditEnvironment);
