using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using SQLitePCL;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Runs statements on the session connection, one <see cref="SqliteCommand"/> each.
/// </summary>
/// <remarks>
/// Transactions are plain <c>BEGIN IMMEDIATE</c> / <c>COMMIT</c> statements rather than a
/// <see cref="SqliteTransaction"/>. IMMEDIATE takes the write lock up front, so a concurrent writer makes
/// BEGIN wait (busy timeout) instead of failing later with SQLITE_BUSY when a read lock must be upgraded,
/// a case SQLite cannot wait out. Whether a transaction is open is asked of SQLite itself
/// (<c>sqlite3_get_autocommit</c>), so a migration that ends the transaction, or an error after which
/// SQLite rolls back on its own, cannot leave a stale flag behind.
/// </remarks>
internal sealed class SqliteExecutor(SqliteConnection connection, HistorySql sql) : IStatementExecutor
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteInterrupt = 9;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private const string SavepointName = "probeops_migrate";

    public bool InTransaction =>
        connection.State == System.Data.ConnectionState.Open && raw.sqlite3_get_autocommit(connection.Handle) == 0;

    public async Task BeginTransactionAsync(CancellationToken cancellationToken)
    {
        if (InTransaction)
        {
            throw new InvalidOperationException("A transaction is already open on this session.");
        }

        await ExecuteAsync(sql.BeginTransaction(), cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!InTransaction)
        {
            throw new MigrateException(
                FailureKind.MigrationFailed,
                "The transaction ended before its commit (a statement committed or rolled it back, or SQLite rolled it back after an error); its changes may be partly applied.");
        }

        await ExecuteAsync(sql.Commit(), cancellationToken);
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (!InTransaction)
        {
            return;
        }

        try
        {
            // Not cancellable: a half-done rollback is worse than waiting for it.
            await using var command = connection.CreateCommand();
            command.CommandText = "ROLLBACK";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
            // The transaction is gone already (SQLite rolled it back, or the file went away): nothing to undo.
        }
        catch (InvalidOperationException)
        {
            // The connection was closed underneath us; closing rolled the transaction back.
        }
    }

    public Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken) =>
        ExecuteCountingAsync(statement, cancellationToken);

    /// <summary>Runs one statement; the rows it changed are what <c>changes()</c> counts for each statement in it.</summary>
    public async Task<long> ExecuteCountingAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        cancellationToken.ThrowIfCancellationRequested();
        await using var command = connection.CreateCommand();
        command.CommandText = statement.Text;

        // Microsoft.Data.Sqlite runs synchronously; interrupting is how Ctrl-C reaches a long statement.
        var handle = connection.Handle;
        await using var registration = cancellationToken.Register(static state => raw.sqlite3_interrupt((sqlite3)state!), handle);
        try
        {
            // Read every row of every result: ExecuteNonQuery stops at the first row a statement returns and
            // drops later errors, and some statements (RETURNING, pragmas) do their work row by row.
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                }
            }
            while (await reader.NextResultAsync(cancellationToken));

            // sqlite3_changes() of each statement that writes, summed; -1 when none did.
            return Math.Max(0, reader.RecordsAffected);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteInterrupt && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The statement was cancelled.", ex, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw ToStatementFailed(ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> all or nothing: inside a savepoint when a transaction is open (so the
    /// caller's transaction decides), in its own IMMEDIATE transaction otherwise.
    /// </summary>
    internal async Task RunAtomicallyAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (InTransaction)
        {
            await ExecuteAsync(new SqlStatement($"SAVEPOINT {SavepointName}", 0), cancellationToken);
            try
            {
                await work(cancellationToken);
            }
            catch
            {
                await TryRunAsync($"ROLLBACK TO {SavepointName}");
                await TryRunAsync($"RELEASE {SavepointName}");
                throw;
            }

            await ExecuteAsync(new SqlStatement($"RELEASE {SavepointName}", 0), cancellationToken);
            return;
        }

        await BeginTransactionAsync(cancellationToken);
        try
        {
            await work(cancellationToken);
            await CommitAsync(cancellationToken);
        }
        catch
        {
            await RollbackAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>SQLite's own message, without Microsoft.Data.Sqlite's "SQLite Error N: '...'." wrapping.</summary>
    internal static string NativeMessage(SqliteException exception)
    {
        var message = exception.Message;
        var prefix = $"SQLite Error {exception.SqliteErrorCode}: '";
        return message.StartsWith(prefix, StringComparison.Ordinal) && message.EndsWith("'.", StringComparison.Ordinal)
            ? message[prefix.Length..^2]
            : message;
    }

    internal static StatementFailedException ToStatementFailed(SqliteException exception) =>
        new(NativeMessage(exception), exception)
        {
            SqlState = exception.SqliteExtendedErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IsLockTimeout = exception.SqliteErrorCode is SqliteBusy or SqliteLocked,
            IsConnectionLost = exception.SqliteErrorCode is SqliteIoError or SqliteCorrupt or SqliteNotADatabase,
        };

    private async Task TryRunAsync(string text)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = text;
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled the whole transaction back; the original error matters more.
        }
    }
}
