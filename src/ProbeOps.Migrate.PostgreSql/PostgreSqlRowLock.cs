using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The migration lock of a server without working advisory locks: one row in <c>&lt;history table&gt;_lock</c>
/// holding a lease (docs/decisions/0027-lock-row-fallback.md).
/// </summary>
/// <remarks>
/// Taking it is one statement, an insert that may replace only an expired row, so of two runs racing
/// exactly one gets it. The lease is measured by the server's clock, never a client's. A live run renews
/// it in the background (<see cref="PostgreSqlLeaseRenewal"/>); a crashed run stops renewing, and the next
/// run takes the row over once the lease has expired and says so. The row lives on a connection of its
/// own: the migrating connection may sit in a long transaction or a long statement while the lease is
/// renewed, and a failed migration's rollback must not release the lock. Like the advisory lock it lives
/// in the database and is named after the history schema and table, so tenant schemas of one database
/// each have their own.
/// </remarks>
public sealed class PostgreSqlRowLock : IMigrationLock
{
    private readonly Func<CancellationToken, Task<NpgsqlConnection>> _open;
    private readonly MigrationLockOptions _options;
    private readonly string _display;
    private readonly TimeProvider _time;
    private readonly Func<int> _migratingProcess;
    private readonly string _owner;

    internal PostgreSqlRowLock(
        Func<CancellationToken, Task<NpgsqlConnection>> open,
        string application,
        HistorySql history,
        MigrationLockOptions options,
        string display,
        TimeProvider time,
        Func<int> migratingProcess)
    {
        _open = open;
        _options = options;
        _display = display;
        _time = time;
        _migratingProcess = migratingProcess;
        _owner = $"host {Environment.MachineName}, pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}, {application}";
        var schema = PostgreSqlSyntax.SchemaOf(history);
        Schema = PostgreSqlSyntax.QuoteIdentifier(schema);
        Table = PostgreSqlSyntax.QualifiedName(schema, history.History.LockTable);
    }

    /// <summary>The quoted, schema-qualified lock table.</summary>
    public string Table { get; }

    /// <summary>What the last acquisition found: an expired lease it took over, or null.</summary>
    public string? Notice { get; private set; }

    private string Schema { get; }

    public async Task<IAsyncDisposable> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var connection = await _open(cancellationToken);
        try
        {
            await CreateTableAsync(connection, cancellationToken);
            var token = Guid.NewGuid().ToString("N");
            Notice = null;
            await PostgreSqlLockWait.WaitAsync(
                ct => TryTakeAsync(connection, _owner, token, ct), ct => TimeoutMessageAsync(connection, wait, ct), wait, _time, cancellationToken);
            var renewal = PostgreSqlLeaseRenewal.Start(connection, Table, token, _options, _time, _migratingProcess());
            return new Release(connection, renewal, Table, token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task CreateTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var create = $"""
            CREATE TABLE IF NOT EXISTS {Table} (
                id integer PRIMARY KEY CHECK (id = 1),
                owner text NOT NULL,
                token text NOT NULL,
                acquired_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            )
            """;
        try
        {
            await RunAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken);
            await RunAsync(connection, create, cancellationToken);
        }
        catch (StatementFailedException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateSchema or PostgresErrorCodes.DuplicateObject)
        {
            // Two runs created it at the same moment: IF NOT EXISTS does not cover the race (the loser may trip on the
            // table, its row type or the pg_namespace/pg_type unique index); it exists now.
        }
    }

    /// <summary>
    /// Inserts the row, or replaces a row whose lease has expired; a row that is still valid stays, and
    /// nothing comes back. A replaced row belonged to a run that died without releasing it.
    /// </summary>
    private async Task<bool> TryTakeAsync(NpgsqlConnection connection, string owner, string token, CancellationToken cancellationToken)
    {
        var sql = $"""
            WITH previous AS (SELECT owner, expires_at FROM {Table} WHERE id = 1)
            INSERT INTO {Table} AS held (id, owner, token, acquired_at, expires_at)
            VALUES (1, $1, $2, now(), now() + $3 * interval '1 millisecond')
            ON CONFLICT (id) DO UPDATE
                SET owner = excluded.owner, token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
                WHERE held.expires_at < now()
            RETURNING (SELECT owner FROM previous), (SELECT expires_at FROM previous)
            """;
        await using var command = Command(connection, sql, owner, token, _options.Lease.TotalMilliseconds);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        if (!reader.IsDBNull(0))
        {
            var expired = reader.GetFieldValue<DateTimeOffset>(1).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Notice = $"took over the migration lock row of a run that stopped renewing it ({reader.GetString(0)}; its lease expired at {expired})";
        }

        return true;
    }

    private async Task<string> TimeoutMessageAsync(NpgsqlConnection connection, TimeSpan wait, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection, $"SELECT owner, greatest(extract(epoch FROM expires_at - now()), 0)::float8 FROM {Table} WHERE id = 1");
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        var holder = await reader.ReadAsync(cancellationToken)
            ? $"{reader.GetString(0)}; its lease runs {reader.GetDouble(1).ToString("0.#", CultureInfo.InvariantCulture)} s more unless renewed"
            : "it has just released it";
        var waited = wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return $"another migration run holds the migration lock row in {Table} on {_display} ({holder}); waited {waited} s: " +
               "let it finish and try again, or wait longer with --wait-for-lock";
    }

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    internal static async Task<int> RunAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw PostgreSqlExecutor.Map(e, connection);
        }
    }

    private static async Task<NpgsqlDataReader> ExecuteReaderAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw PostgreSqlExecutor.Map(e, command.Connection!);
        }
    }

    /// <summary>Stops the renewal, deletes the row if it is still this run's, and closes the lock's connection.</summary>
    private sealed class Release(NpgsqlConnection connection, PostgreSqlLeaseRenewal renewal, string table, string token) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            await renewal.DisposeAsync();
            try
            {
                await RunAsync(connection, $"DELETE FROM {table} WHERE id = 1 AND token = $1", CancellationToken.None, token);
            }
            catch (StatementFailedException)
            {
                // The connection is gone, or reset dropped the table: the lease expires by itself.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
