using System.Data;
using System.Net.Sockets;
using Npgsql;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Runs statements on the session's connection, one per command, exactly as written; inside a
/// transaction it can send a whole section's statements in one round trip.
/// </summary>
/// <remarks>
/// An <see cref="NpgsqlCommand"/> without parameters is parsed by Npgsql, which splits it on
/// semicolons outside quotes: that breaks a <c>BEGIN ATOMIC ... END</c> body. A single
/// <see cref="NpgsqlBatchCommand"/> is sent as written, so every statement goes through a batch.
/// </remarks>
public sealed class PostgreSqlExecutor : IStatementExecutor, IBatchStatementExecutor
{
    private readonly PostgreSqlSession _session;
    private NpgsqlTransaction? _transaction;

    internal PostgreSqlExecutor(PostgreSqlSession session)
    {
        _session = session;
    }

    public bool InTransaction => _transaction is not null;

    public System.Data.Common.DbTransaction? Transaction => _transaction;

    private NpgsqlConnection Connection => _session.Connection;

    public async Task BeginTransactionAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A transaction is already open on this session.");
        }

        try
        {
            _transaction = await Connection.BeginTransactionAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No transaction is open on this session.");
        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
        finally
        {
            _transaction = null;
            await transaction.DisposeAsync();
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        // Rolling back is how a cancelled run cleans up, so it ignores the (likely cancelled) token.
        var transaction = _transaction;
        _transaction = null;
        if (transaction is not null)
        {
            try
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
            catch (Exception e) when (IsDatabaseError(e) || e is InvalidOperationException)
            {
                // A lost connection has rolled back on the server already.
            }
            finally
            {
                await transaction.DisposeAsync();
            }
        }

        if (Connection.State == ConnectionState.Open)
        {
            try
            {
                await _session.ApplySettingsAsync(CancellationToken.None);
            }
            catch (StatementFailedException e) when (e.IsConnectionLost)
            {
                // Nothing more can run on this session; the next statement says so.
            }
        }
    }

    public async Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Copy is { } copy)
        {
            await CopyAsync(copy, statementIndex: null, cancellationToken);
            return;
        }

        await RunAsync(statement.Text, cancellationToken);
    }

    public async Task<long> ExecuteCountingAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return Math.Max(0, await RunAsync(statement.Text, cancellationToken));
    }

    /// <remarks>A <c>COPY ... FROM STDIN</c> cannot travel in a batch: it goes alone, between batches of the statements around it.</remarks>
    public async Task ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count > 1 && _transaction is null)
        {
            // Outside a transaction the server would run the batch as one implicit transaction.
            throw new InvalidOperationException("A batch of statements runs only inside a transaction.");
        }

        var start = 0;
        for (var i = 0; i <= statements.Count; i++)
        {
            if (i < statements.Count && statements[i].Copy is null)
            {
                continue;
            }

            await RunStatementBatchAsync(statements, start, i, cancellationToken);
            if (i < statements.Count)
            {
                await CopyAsync(statements[i].Copy!, i, cancellationToken);
            }

            start = i + 1;
        }
    }

    /// <summary>Runs <c>statements[start..end]</c> in one round trip; a failure names its index in the whole list.</summary>
    private async Task RunStatementBatchAsync(IReadOnlyList<SqlStatement> statements, int start, int end, CancellationToken cancellationToken)
    {
        if (end <= start)
        {
            return;
        }

        await using var batch = NewBatch(Enumerable.Range(start, end - start).Select(i => Command(statements[i].Text, [])));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            var index = e is PostgresException { BatchCommand: { } failed } ? batch.BatchCommands.IndexOf(failed) : -1;
            throw Map(e, Connection, index >= 0 ? start + index : null);
        }
    }

    /// <summary>
    /// Sends a <c>COPY ... FROM STDIN</c> and its data through Npgsql's COPY protocol, in the open transaction if
    /// there is one; the server's answer (and any error in the data) comes when the import is completed.
    /// </summary>
    private async Task CopyAsync(CopyData copy, int? statementIndex, CancellationToken cancellationToken)
    {
        try
        {
            await using var writer = await Connection.BeginTextImportAsync(copy.Command, cancellationToken);
            await writer.WriteAsync(copy.Data.AsMemory(), cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection, statementIndex);
        }
    }

    /// <summary>Runs one statement verbatim, with optional positional parameters ($1, $2...).</summary>
    internal async Task<int> RunAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var batch = NewBatch([Command(sql, parameters)]);
        try
        {
            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
    }

    /// <summary>Runs several statements in one round trip; the first failure stops the rest.</summary>
    internal async Task RunBatchAsync(IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var batch = NewBatch(statements.Select(s => Command(s, [])));
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
    }

    /// <summary>Reads every row of a query.</summary>
    internal async Task<List<T>> QueryAsync<T>(
        string sql,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken,
        params object[] parameters)
    {
        await using var batch = NewBatch([Command(sql, parameters)]);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
    }

    /// <summary>
    /// Runs <paramref name="before"/> and then the query in one round trip, and reads the one row the query returns. The
    /// statements form one implicit transaction: a failure anywhere undoes them all.
    /// </summary>
    internal async Task<T> QuerySingleAfterAsync<T>(IReadOnlyList<string> before, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var batch = NewBatch(before.Append(sql).Select(s => Command(s, [])));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>(1);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
            return rows.Count == 1 ? rows[0] : throw new InvalidOperationException($"Expected one row, got {rows.Count}: {sql}");
        }
        catch (Exception e) when (IsDatabaseError(e))
        {
            throw Map(e, Connection);
        }
    }

    public async Task<IReadOnlyList<string>> QueryFirstColumnAsync(string sql, CancellationToken cancellationToken) =>
        await QueryAsync(sql, r => r.IsDBNull(0) ? "" : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "", cancellationToken);

    /// <summary>Reads the one row a query returns.</summary>
    internal async Task<T> QuerySingleAsync<T>(
        string sql,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken,
        params object[] parameters)
    {
        var rows = await QueryAsync(sql, read, cancellationToken, parameters);
        return rows.Count == 1
            ? rows[0]
            : throw new InvalidOperationException($"Expected one row, got {rows.Count}: {sql}");
    }

    private NpgsqlBatch NewBatch(IEnumerable<NpgsqlBatchCommand> commands)
    {
        var batch = new NpgsqlBatch(Connection, _transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    private static NpgsqlBatchCommand Command(string sql, object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static bool IsDatabaseError(Exception e) =>
        e is NpgsqlException or IOException or SocketException or ObjectDisposedException ||
        (e is InvalidOperationException && e.Message.Contains("Connection is not open", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Keeps every field the server sent, says whether waiting or reconnecting could help and, in a batch,
    /// which statement failed (<paramref name="statementIndex"/>).
    /// </summary>
    internal static StatementFailedException Map(Exception e, NpgsqlConnection connection, int? statementIndex = null)
    {
        if (e is PostgresException pg)
        {
            return new StatementFailedException(pg.MessageText, pg)
            {
                SqlState = pg.SqlState,
                Position = pg.Position > 0 ? pg.Position : null,
                Detail = pg.Detail,
                Hint = pg.Hint,
                IsLockTimeout = pg.SqlState == PostgresErrorCodes.LockNotAvailable,
                IsConnectionLost = IsConnectionLostState(pg.SqlState),
                StatementIndex = statementIndex,
            };
        }

        var lost = e is IOException or SocketException or ObjectDisposedException or InvalidOperationException ||
                   e.InnerException is IOException or SocketException or TimeoutException ||
                   (connection.FullState & (ConnectionState.Broken | ConnectionState.Closed)) != 0;
        return lost
            ? new StatementFailedException($"the connection to the database was lost: {e.Message}", e) { IsConnectionLost = true }
            : new StatementFailedException(e.Message, e);
    }

    private static bool IsConnectionLostState(string sqlState) =>
        sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow ||
        sqlState.StartsWith("08", StringComparison.Ordinal);
}
