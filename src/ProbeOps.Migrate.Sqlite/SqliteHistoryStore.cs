using System.Globalization;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// The history and audit tables, read and written on the session connection, inside its open transaction
/// when there is one. Reads and writes are the statements of <see cref="HistorySql"/>, so what runs is what
/// <c>upgrade --sql</c> prints.
/// </summary>
internal sealed class SqliteHistoryStore(
    SqliteConnection connection,
    SqliteExecutor executor,
    SqliteInspector inspector,
    HistorySql sql) : IHistoryStore
{
    /// <summary>
    /// Rows per INSERT. SQLite before 3.8.8 limited a multi-row VALUES to SQLITE_MAX_COMPOUND_SELECT (500)
    /// rows; chunks of that size keep every statement valid on any library and small to parse.
    /// </summary>
    internal const int RowsPerInsert = 500;

    /// <summary>
    /// Creates the tables if missing, and gives a history table made before backfills existed their column, in the
    /// caller's transaction, keeping every row. Rows keep their order by <c>rowid</c>, which every history table has.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await ExecuteAllAsync(sql.CreateTables(), cancellationToken);
        if (!await HasBackfillColumnAsync(cancellationToken))
        {
            await executor.ExecuteAsync(sql.AddBackfillColumn(), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AppliedRevision>> ReadAppliedAsync(CancellationToken cancellationToken)
    {
        if (!await inspector.TableExistsAsync(sql.History.Table, cancellationToken))
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql.SelectApplied(backfillColumnExists: await HasBackfillColumnAsync(cancellationToken)).Text;
        var rows = new List<AppliedRevision>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var revision = reader.GetString(0);
            rows.Add(new AppliedRevision(
                revision,
                SplitList(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                ReadTimestamp(reader.GetString(4), sql.History.Table, revision),
                reader.GetString(5),
                reader.GetInt64(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : (int)reader.GetInt64(8)));
        }

        return rows;
    }

    public async Task SetBackfillStatementAsync(string revision, int? next, CancellationToken cancellationToken) =>
        await executor.ExecuteAsync(sql.SetBackfillStatement(revision, next), cancellationToken);

    public async Task RecordAppliedAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        if (rows.Count <= RowsPerInsert)
        {
            await executor.ExecuteAsync(sql.InsertApplied(rows), cancellationToken);
            return;
        }

        await executor.RunAtomicallyAsync(token => InsertInChunksAsync(rows, token), cancellationToken);
    }

    public async Task RemoveAppliedAsync(IReadOnlyList<string> revisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (revisions.Count == 0)
        {
            return;
        }

        await executor.ExecuteAsync(sql.DeleteApplied(revisions), cancellationToken);
    }

    public async Task ReplaceAllAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await executor.RunAtomicallyAsync(
            async token =>
            {
                await ExecuteAllAsync(sql.CreateHistoryTable(), token);
                await executor.ExecuteAsync(sql.DeleteAllApplied(), token);
                await InsertInChunksAsync(rows, token);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<AppliedRepeatable>> ReadRepeatablesAsync(CancellationToken cancellationToken)
    {
        if (!await inspector.TableExistsAsync(sql.History.RepeatableTable, cancellationToken))
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql.SelectRepeatables().Text;
        var rows = new List<AppliedRepeatable>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            rows.Add(new AppliedRepeatable(
                name,
                reader.GetString(1),
                ReadTimestamp(reader.GetString(2), sql.History.RepeatableTable, name),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetString(5),
                reader.GetString(6)));
        }

        return rows;
    }

    public async Task RecordRepeatablesAsync(IReadOnlyList<AppliedRepeatable> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            await ExecuteAllAsync([.. sql.CreateRepeatableTable(), sql.InsertRepeatables(rows)], cancellationToken);
        }
    }

    /// <summary>
    /// Appends one row, creating the audit table when missing, or giving one made before the <c>environment</c>
    /// column that column (in place, every row kept).
    /// </summary>
    public async Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // Only the audit table: a failed run on an empty database must not leave a history table behind.
        await ExecuteAllAsync(sql.CreateAuditTable(), cancellationToken);
        if (!await inspector.ColumnExistsAsync(sql.History.AuditTable, HistorySql.AuditEnvironmentColumn, cancellationToken))
        {
            await executor.ExecuteAsync(sql.AddAuditEnvironmentColumn(), cancellationToken);
        }

        await executor.ExecuteAsync(sql.InsertAudit(entry), cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken)
    {
        var table = sql.History.AuditTable;
        if (!await inspector.TableExistsAsync(table, cancellationToken))
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql.SelectAudit(await inspector.ColumnExistsAsync(table, HistorySql.AuditEnvironmentColumn, cancellationToken)).Text;
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var deployId = reader.GetString(0);
            entries.Add(new AuditEntry(
                deployId,
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                ReadTimestamp(reader.GetString(5), table, deployId),
                ReadTimestamp(reader.GetString(6), table, deployId),
                reader.GetString(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return entries;
    }

    private Task<bool> HasBackfillColumnAsync(CancellationToken cancellationToken) =>
        inspector.ColumnExistsAsync(sql.History.Table, HistorySql.BackfillColumn, cancellationToken);

    private async Task ExecuteAllAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        foreach (var statement in statements)
        {
            await executor.ExecuteAsync(statement, cancellationToken);
        }
    }

    private async Task InsertInChunksAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
    {
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var chunk = start == 0 && rows.Count <= RowsPerInsert
                ? rows
                : Slice(rows, start, Math.Min(RowsPerInsert, rows.Count - start));
            await executor.ExecuteAsync(sql.InsertApplied(chunk), cancellationToken);
        }
    }

    private static AppliedRevision[] Slice(IReadOnlyList<AppliedRevision> rows, int start, int count)
    {
        var slice = new AppliedRevision[count];
        for (var i = 0; i < count; i++)
        {
            slice[i] = rows[start + i];
        }

        return slice;
    }

    private static string[] SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static DateTimeOffset ReadTimestamp(string text, string table, string key) =>
        SqliteDialect.TryParseTimestamp(text, out var value)
            ? value
            : throw new MigrateException(
                FailureKind.InvalidMigrations,
                string.Create(CultureInfo.InvariantCulture, $"The {table} row for {key} holds an unreadable timestamp '{text}'; fix or remove the row."));
}
