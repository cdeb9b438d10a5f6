using Npgsql;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlExecutorTests
{
    private static PostgresServer Server => PostgresServer.Shared;

    [Fact]
    public async Task Dollar_quoted_function_bodies_with_semicolons_run_as_one_statement()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        await session.ExecAsync(
            """
            CREATE FUNCTION add_tax(amount numeric) RETURNS numeric LANGUAGE plpgsql AS $body$
            DECLARE
                rate numeric := 0.2; -- a comment; with a semicolon
            BEGIN
                IF amount < 0 THEN
                    RAISE EXCEPTION 'negative: %; refused', amount;
                END IF;
                RETURN amount * (1 + rate);
            END;
            $body$
            """);

        Assert.Equal(120m, await session.ScalarAsync<decimal>("SELECT add_tax(100)"));
    }

    [Fact]
    public async Task Begin_atomic_sql_function_bodies_run_as_one_statement()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE TABLE counters (n int)");

        await session.ExecAsync(
            """
            CREATE PROCEDURE bump(step int)
            LANGUAGE sql
            BEGIN ATOMIC
                INSERT INTO counters VALUES (step);
                INSERT INTO counters VALUES (step * 10);
            END
            """);
        await session.ExecAsync(
            """
            CREATE FUNCTION total() RETURNS bigint LANGUAGE sql
            BEGIN ATOMIC
                SELECT sum(n) FROM counters;
            END
            """);
        await session.ExecAsync("CALL bump(2)");

        Assert.Equal(22L, await session.ScalarAsync<long>("SELECT total()"));
    }

    [Fact]
    public async Task Text_is_sent_verbatim_without_parameter_rewriting()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        const string Sql = "SELECT current_query() WHERE '{\"a\":1}'::jsonb @> '{}' AND '{\"a\":1}'::jsonb ? 'a' /* @p :p ; */";

        Assert.Equal(Sql, await session.ScalarAsync<string>(Sql));
    }

    [Fact]
    public async Task Two_statements_in_one_text_are_refused_by_the_server()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("CREATE TABLE a (x int); CREATE TABLE b (x int)"));

        Assert.Equal("42601", error.SqlState);
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('a')::text"));
    }

    [Fact]
    public async Task Create_index_concurrently_runs_outside_a_transaction_and_is_refused_inside()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE TABLE items (id int, name text)");

        await session.ExecAsync("CREATE INDEX CONCURRENTLY items_name ON items (name)");
        Assert.Equal("items_name", await session.ScalarAsync<string>("SELECT to_regclass('items_name')::text"));

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("CREATE INDEX CONCURRENTLY items_id ON items (id)"));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Equal("25001", error.SqlState);
        Assert.Equal("CREATE INDEX CONCURRENTLY cannot run inside a transaction block", error.Message);
    }

    [Fact]
    public async Task Rollback_discards_ddl_and_commit_keeps_it()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var executor = session.Executor;

        await executor.BeginTransactionAsync(CancellationToken.None);
        Assert.True(executor.InTransaction);
        await session.ExecAsync("CREATE TABLE discarded (id int)");
        await executor.RollbackAsync(CancellationToken.None);
        Assert.False(executor.InTransaction);

        await executor.BeginTransactionAsync(CancellationToken.None);
        await session.ExecAsync("CREATE TABLE kept (id int)");
        await executor.CommitAsync(CancellationToken.None);
        Assert.False(executor.InTransaction);

        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('discarded')::text"));
        Assert.Equal("kept", await session.ScalarAsync<string>("SELECT to_regclass('kept')::text"));
    }

    [Fact]
    public async Task A_failed_statement_aborts_the_transaction_until_rollback()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var executor = session.Executor;

        await executor.BeginTransactionAsync(CancellationToken.None);
        await session.ExecAsync("CREATE TABLE first (id int)");
        await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT * FROM missing_table"));
        var aborted = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("CREATE TABLE second (id int)"));
        await executor.RollbackAsync(CancellationToken.None);

        Assert.Equal("25P02", aborted.SqlState);
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('first')::text"));
    }

    [Fact]
    public async Task Server_errors_keep_state_position_detail_and_hint()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE TABLE users (id int PRIMARY KEY)");
        await session.ExecAsync("INSERT INTO users VALUES (1)");

        var syntax = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT 1 FROM users WHERE id = = 1"));
        Assert.Equal("42601", syntax.SqlState);
        Assert.Equal("syntax error at or near \"=\"", syntax.Message);
        Assert.Equal(32, syntax.Position);
        Assert.False(syntax.IsLockTimeout);
        Assert.False(syntax.IsConnectionLost);
        Assert.IsType<PostgresException>(syntax.InnerException);

        var duplicate = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("INSERT INTO users VALUES (1)"));
        Assert.Equal("23505", duplicate.SqlState);
        Assert.Equal("Key (id)=(1) already exists.", duplicate.Detail);

        var noFunction = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT no_such_function(1)"));
        Assert.Equal("42883", noFunction.SqlState);
        Assert.NotNull(noFunction.Hint);
        Assert.Equal(8, noFunction.Position);
    }

    [Fact]
    public async Task Session_timeouts_are_set_at_open_and_restored_after_rollback()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var options = PostgreSqlTestSession.Options(lockTimeout: TimeSpan.FromMilliseconds(1500), statementTimeout: TimeSpan.FromSeconds(2.5));
        await using var session = await PostgreSqlTestSession.OpenAsync(db, options);

        Assert.Equal("1500ms", await session.ScalarAsync<string>("SHOW lock_timeout"));
        Assert.Equal("2500ms", await session.ScalarAsync<string>("SHOW statement_timeout"));

        // A migration may change them for the session; a rollback puts the configured values back.
        await session.ExecAsync("SET lock_timeout = '7s'");
        await session.ExecAsync("SET statement_timeout = 0");
        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Equal("1500ms", await session.ScalarAsync<string>("SHOW lock_timeout"));
        Assert.Equal("2500ms", await session.ScalarAsync<string>("SHOW statement_timeout"));
    }

    [Fact]
    public async Task Without_configured_timeouts_the_server_defaults_stay()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Equal("0", await session.ScalarAsync<string>("SHOW lock_timeout"));
    }

    [Fact]
    public async Task A_statement_blocked_by_another_connection_fails_as_a_lock_timeout()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(lockTimeout: TimeSpan.FromMilliseconds(200)));
        await session.ExecAsync("CREATE TABLE busy (id int)");
        await using var other = await Server.OpenConnectionAsync(db);
        await using var holding = await other.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", other, holding))
        {
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("ALTER TABLE busy ADD COLUMN name text"));

        Assert.True(error.IsLockTimeout);
        Assert.Equal("55P03", error.SqlState);
        Assert.False(error.IsConnectionLost);
    }

    [Fact]
    public async Task Statement_timeout_cancels_a_long_statement()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(statementTimeout: TimeSpan.FromMilliseconds(200)));

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT pg_sleep(5)"));

        Assert.Equal("57014", error.SqlState);
        Assert.Equal("canceling statement due to statement timeout", error.Message);
    }

    [Fact]
    public async Task A_terminated_connection_is_reported_as_lost_and_rollback_does_not_throw()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(lockTimeout: TimeSpan.FromSeconds(1)));
        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.ExecAsync("CREATE TABLE doomed (id int)");
        await using (var other = await Server.OpenConnectionAsync(db))
        await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({session.ProcessId})", other))
        {
            await kill.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT 1"));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.True(error.IsConnectionLost);
        Assert.False(session.Executor.InTransaction);
    }

    [Fact]
    public async Task A_batch_runs_every_statement_verbatim_and_in_order_inside_the_transaction()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var batch = (IBatchStatementExecutor)session.Executor;

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await batch.ExecuteBatchAsync(
            [
                new SqlStatement("CREATE TABLE counters (n int)", 1),
                new SqlStatement("CREATE FUNCTION twice(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x * 2; END; $$", 2),
                new SqlStatement("CREATE PROCEDURE bump(step int) LANGUAGE sql BEGIN ATOMIC INSERT INTO counters VALUES (step); INSERT INTO counters VALUES (twice(step)); END", 3),
                new SqlStatement("CALL bump(3)", 4),
                new SqlStatement("SELECT 1 /* @p :p ; */", 5),
            ],
            CancellationToken.None);
        await session.Executor.CommitAsync(CancellationToken.None);

        Assert.Equal(9L, await session.ScalarAsync<long>("SELECT sum(n) FROM counters"));
    }

    [Fact]
    public async Task A_failed_batch_statement_is_named_by_its_index_and_stops_the_rest()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var batch = (IBatchStatementExecutor)session.Executor;

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => batch.ExecuteBatchAsync(
            [
                new SqlStatement("CREATE TABLE first (id int)", 1),
                new SqlStatement("INSERT INTO first VALUES (1)", 2),
                new SqlStatement("SELECT id FROM missing_table", 3),
                new SqlStatement("CREATE TABLE last (id int)", 4),
            ],
            CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Equal(2, error.StatementIndex);
        Assert.Equal("42P01", error.SqlState);
        Assert.Equal(16, error.Position);
        Assert.False(error.IsLockTimeout);
        Assert.False(error.IsConnectionLost);
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('first')::text"));
        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('last')::text"));
    }

    [Fact]
    public async Task A_batch_of_several_statements_is_refused_outside_a_transaction()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var batch = (IBatchStatementExecutor)session.Executor;

        await Assert.ThrowsAsync<InvalidOperationException>(() => batch.ExecuteBatchAsync(
            [new SqlStatement("CREATE TABLE a (id int)", 1), new SqlStatement("CREATE TABLE b (id int)", 2)],
            CancellationToken.None));

        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('a')::text"));
    }

    [Fact]
    public async Task Statement_timeout_bounds_each_statement_of_a_batch_not_the_whole_batch()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(statementTimeout: TimeSpan.FromSeconds(1)));
        var batch = (IBatchStatementExecutor)session.Executor;

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await batch.ExecuteBatchAsync(
            [new SqlStatement("SELECT pg_sleep(0.6)", 1), new SqlStatement("SELECT pg_sleep(0.6)", 2), new SqlStatement("SELECT pg_sleep(0.6)", 3)],
            CancellationToken.None);
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => batch.ExecuteBatchAsync(
            [new SqlStatement("SELECT pg_sleep(0.1)", 1), new SqlStatement("SELECT pg_sleep(5)", 2)],
            CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Equal("57014", error.SqlState);
        Assert.Equal(1, error.StatementIndex);
    }

    [Fact]
    public async Task A_batch_statement_blocked_by_another_connection_fails_as_a_lock_timeout()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(lockTimeout: TimeSpan.FromMilliseconds(200)));
        var batch = (IBatchStatementExecutor)session.Executor;
        await session.ExecAsync("CREATE TABLE busy (id int)");
        await using var other = await Server.OpenConnectionAsync(db);
        await using var holding = await other.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE busy IN ACCESS SHARE MODE", other, holding))
        {
            await command.ExecuteNonQueryAsync();
        }

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => batch.ExecuteBatchAsync(
            [new SqlStatement("CREATE TABLE free (id int)", 1), new SqlStatement("ALTER TABLE busy ADD COLUMN name text", 2)],
            CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.True(error.IsLockTimeout);
        Assert.Equal("55P03", error.SqlState);
        Assert.Equal(1, error.StatementIndex);
    }

    [Fact]
    public async Task A_connection_terminated_during_a_batch_is_reported_as_lost()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var batch = (IBatchStatementExecutor)session.Executor;
        await using var other = await Server.OpenConnectionAsync(db);

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        var running = batch.ExecuteBatchAsync(
            [new SqlStatement("CREATE TABLE doomed (id int)", 1), new SqlStatement("SELECT pg_sleep(30)", 2)],
            CancellationToken.None);
        await using (var kill = new NpgsqlCommand(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = {session.ProcessId} AND query LIKE '%pg_sleep(30)%'", other))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (await kill.ExecuteScalarAsync() is not true && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => running);
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.True(error.IsConnectionLost);
        Assert.False(error.IsLockTimeout);
    }

    [Fact]
    public async Task Cancellation_stops_a_running_statement()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => session.Executor.ExecuteAsync(new SqlStatement("SELECT pg_sleep(30)", 1), cancel.Token));

        Assert.Equal(1, await session.ScalarAsync<int>("SELECT 1"));
    }
}
