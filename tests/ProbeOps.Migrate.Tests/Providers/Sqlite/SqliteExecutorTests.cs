using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteExecutorTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task Run(IDatabaseSession session, string sql) =>
        session.Executor.ExecuteAsync(new SqlStatement(sql, 1), CancellationToken.None);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.File("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Trigger_with_a_body_of_several_statements_runs_as_one_statement()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)");
        await Run(session, "CREATE TABLE log (what TEXT)");
        await Run(session, """
            CREATE TRIGGER t_insert AFTER INSERT ON t
            BEGIN
                INSERT INTO log (what) VALUES ('one; with a semicolon');
                INSERT INTO log (what) VALUES ('two');
            END
            """);

        await Run(session, "INSERT INTO t (n) VALUES (1)");

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task Rollback_discards_ddl_and_data()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE kept (id INTEGER)");

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        Assert.True(session.Executor.InTransaction);
        await Run(session, "CREATE TABLE dropped_by_rollback (id INTEGER)");
        await Run(session, "INSERT INTO kept VALUES (1)");
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.False(session.Executor.InTransaction);
        Assert.Equal(["kept"], await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM kept"));
    }

    [Fact]
    public async Task Commit_makes_changes_visible_to_other_connections()
    {
        await using var session = await _dir.OpenAsync();

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await Run(session, "CREATE TABLE t (id INTEGER)");
        await Run(session, "INSERT INTO t VALUES (1), (2)");
        await session.Executor.CommitAsync(CancellationToken.None);

        Assert.False(session.Executor.InTransaction);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Failing_statement_raises_sqlites_own_message_and_code()
    {
        await using var session = await _dir.OpenAsync();

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => Run(session, "SELECT * FROM missing_table"));

        Assert.Equal("no such table: missing_table", error.Message);
        Assert.Equal("1", error.SqlState);
        Assert.False(error.IsLockTimeout);
        Assert.False(error.IsConnectionLost);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task Constraint_failure_carries_the_extended_result_code()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)");
        await Run(session, "INSERT INTO t (name) VALUES ('a')");

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => Run(session, "INSERT INTO t (name) VALUES ('a')"));

        Assert.Equal("2067", error.SqlState); // SQLITE_CONSTRAINT_UNIQUE
        Assert.Contains("UNIQUE constraint failed: t.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_inside_a_transaction_leaves_it_open_for_rollback()
    {
        await using var session = await _dir.OpenAsync();
        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await Run(session, "CREATE TABLE t (id INTEGER)");

        await Assert.ThrowsAsync<StatementFailedException>(() => Run(session, "INSERT INTO nowhere VALUES (1)"));
        Assert.True(session.Executor.InTransaction);
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Rows_a_statement_returns_are_read_to_the_end_so_later_errors_surface()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE t (id INTEGER)");
        await Run(session, "INSERT INTO t VALUES (1), (2), (3) RETURNING id");

        Assert.Equal(3, await CountAsync("SELECT count(*) FROM t"));
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => Run(session, "SELECT 1; INSERT INTO missing VALUES (1)"));
        Assert.Equal("no such table: missing", error.Message);
    }

    [Fact]
    public async Task Rollback_without_a_transaction_does_nothing()
    {
        await using var session = await _dir.OpenAsync();

        await session.Executor.RollbackAsync(CancellationToken.None);
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.False(session.Executor.InTransaction);
    }

    [Fact]
    public async Task Rollback_after_a_statement_ended_the_transaction_does_not_throw()
    {
        await using var session = await _dir.OpenAsync();
        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await Run(session, "CREATE TABLE t (id INTEGER)");
        await Run(session, "COMMIT");

        Assert.False(session.Executor.InTransaction);
        await session.Executor.RollbackAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<MigrateException>(() => session.Executor.CommitAsync(CancellationToken.None));
        Assert.Equal(FailureKind.MigrationFailed, error.Kind);
    }

    [Fact]
    public async Task Beginning_twice_is_a_programming_error()
    {
        await using var session = await _dir.OpenAsync();
        await session.Executor.BeginTransactionAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.Executor.BeginTransactionAsync(CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Begin_takes_the_write_lock_at_once()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE t (id INTEGER)");
        await session.Executor.BeginTransactionAsync(CancellationToken.None);

        // Another writer cannot start while the migration's transaction is open, even before it writes.
        await using var other = new SqliteConnection($"Data Source={_dir.File("app.db")};Pooling=False;Default Timeout=1");
        await other.OpenAsync();
        await using var command = other.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 0";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "INSERT INTO t VALUES (1)";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY

        await session.Executor.RollbackAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_writer_holding_the_database_longer_than_the_lock_timeout_fails_as_retryable()
    {
        await using (var setup = await _dir.OpenAsync())
        {
            await Run(setup, "CREATE TABLE t (id INTEGER)");
        }

        await using var other = new SqliteConnection($"Data Source={_dir.File("app.db")};Pooling=False");
        await other.OpenAsync();
        await using var hold = other.CreateCommand();
        hold.CommandText = "BEGIN IMMEDIATE";
        await hold.ExecuteNonQueryAsync();

        var options = SessionOptions.Default with { LockTimeout = TimeSpan.FromMilliseconds(200) };
        await using var session = await _dir.OpenAsync(options: options);
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.Executor.BeginTransactionAsync(CancellationToken.None));

        Assert.True(error.IsLockTimeout);
        Assert.Equal("database is locked", error.Message);
        Assert.False(session.Executor.InTransaction);
        // SQLite's busy handler is what waits before giving up: the session set it to the lock timeout.
        await using var pragma = ((SqliteSession)session).Connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout";
        Assert.Equal(200L, (long)(await pragma.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Cancelling_interrupts_a_running_statement()
    {
        await using var session = await _dir.OpenAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        const string endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";

        // The statement never ends on its own: returning at all shows it was interrupted.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => session.Executor.ExecuteAsync(new SqlStatement(endless, 1), cancel.Token));

        await Run(session, "CREATE TABLE still_usable (id INTEGER)");
    }
}
