using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlLockTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static PostgresServer Server => PostgresServer.Shared;

    private static Task<IAsyncDisposable> AcquireAsync(IDatabaseSession session, TimeSpan wait) =>
        session.Lock.AcquireAsync(wait, CancellationToken.None).WaitAsync(Guard);

    [Fact]
    public async Task A_second_session_times_out_naming_the_holder_then_gets_the_lock_after_release()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlTestSession.OpenAsync(db);
        await using var second = await PostgreSqlTestSession.OpenAsync(db);

        var held = await AcquireAsync(first, TimeSpan.Zero);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<MigrateException>(() => AcquireAsync(second, TimeSpan.FromMilliseconds(600)));
        var waited = DateTime.UtcNow - started;

        Assert.Equal(FailureKind.LockTimeout, error.Kind);
        Assert.Contains("another migration run holds the migration lock", error.Message, StringComparison.Ordinal);
        Assert.Contains($"PostgreSQL pid {first.ProcessId}, application \"probeops-migrate\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("--wait-for-lock", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(10));

        await held.DisposeAsync();
        await using var taken = await AcquireAsync(second, TimeSpan.Zero);
    }

    [Fact]
    public async Task A_waiting_session_gets_the_lock_as_soon_as_it_is_released()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlTestSession.OpenAsync(db);
        var clock = VirtualClock.StartingReal();
        await using var second = await new PostgreSqlProvider(clock).OpenSessionAsync(db.Target, PostgreSqlTestSession.Options(), CancellationToken.None);
        var held = await AcquireAsync(first, TimeSpan.Zero);
        clock.GoVirtual();

        // On the virtual clock the waiter polls without pause: once it has polled and waited twice, release the lock.
        var waiting = second.Lock.AcquireAsync(TimeSpan.FromDays(10_000), CancellationToken.None);
        while (clock.Waits < 2)
        {
            Assert.False(waiting.IsCompleted, "the waiter finished while the lock was held");
            await Task.Yield();
        }

        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();

        await using var taken = await waiting.WaitAsync(Guard);
    }

    [Fact]
    public async Task Closing_the_holding_session_releases_the_lock()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var first = await PostgreSqlTestSession.OpenAsync(db);
        await using var second = await PostgreSqlTestSession.OpenAsync(db);
        var held = await AcquireAsync(first, TimeSpan.Zero);

        await first.DisposeAsync();
        await held.DisposeAsync();

        await using var taken = await AcquireAsync(second, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Different_history_tables_do_not_contend()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlTestSession.OpenAsync(db);
        await using var other = await PostgreSqlTestSession.OpenAsync(
            db, PostgreSqlTestSession.Options(new HistoryTableName("other_history")));

        await using var held = await AcquireAsync(first, TimeSpan.Zero);
        await using var alsoHeld = await AcquireAsync(other, TimeSpan.Zero);

        Assert.NotEqual(((PostgreSqlLock)first.Lock).Key, ((PostgreSqlLock)other.Lock).Key);
    }

    [Fact]
    public async Task The_lock_lives_on_the_session_connection_and_survives_a_rollback()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var key = ((PostgreSqlLock)session.Lock).Key;

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await using var held = await AcquireAsync(session, TimeSpan.Zero);
        await session.Executor.RollbackAsync(CancellationToken.None);

        var holder = await session.ScalarAsync<int>(
            $"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = ({key}::bigint & 4294967295)::oid");
        Assert.Equal(session.ProcessId, holder);
        Assert.Equal(1L, await session.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'probeops-migrate'"));
    }

    [Fact]
    public async Task Create_index_concurrently_runs_while_the_same_session_holds_the_lock()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE TABLE events (id int, kind text)");
        await session.ExecAsync("INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 1000) g");

        await using (await AcquireAsync(session, TimeSpan.Zero))
        {
            await session.ExecAsync("CREATE INDEX CONCURRENTLY events_kind ON events (kind)").WaitAsync(Guard);
            await session.ExecAsync("DROP INDEX CONCURRENTLY events_kind").WaitAsync(Guard);
            await session.ExecAsync("CREATE INDEX CONCURRENTLY events_id ON events (id)").WaitAsync(Guard);
        }

        Assert.Equal("events_id", await session.ScalarAsync<string>("SELECT to_regclass('events_id')::text"));
    }

    [Fact]
    public async Task Create_index_concurrently_is_not_held_up_by_a_session_waiting_for_the_lock()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var holder = await PostgreSqlTestSession.OpenAsync(db);
        await using var waiter = await PostgreSqlTestSession.OpenAsync(db);
        await holder.ExecAsync("CREATE TABLE events (id int)");
        await using var held = await AcquireAsync(holder, TimeSpan.Zero);

        // The waiter polls; it never sits in a transaction that CREATE INDEX CONCURRENTLY must outwait.
        var waiting = AcquireAsync(waiter, TimeSpan.FromMinutes(10));
        await holder.ExecAsync("CREATE INDEX CONCURRENTLY events_id ON events (id)").WaitAsync(Guard);
        await held.DisposeAsync();

        await using var taken = await waiting;
    }

    [Fact]
    public async Task Cancelling_the_wait_stops_it()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlTestSession.OpenAsync(db);
        await using var second = await PostgreSqlTestSession.OpenAsync(db);
        await using var held = await AcquireAsync(first, TimeSpan.Zero);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => second.Lock.AcquireAsync(TimeSpan.FromSeconds(20), cancel.Token).WaitAsync(Guard));
    }

    [Fact]
    public async Task Releasing_after_the_connection_was_lost_does_not_throw()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        var held = await AcquireAsync(session, TimeSpan.Zero);
        await using (var other = await Server.OpenConnectionAsync(db))
        await using (var kill = new Npgsql.NpgsqlCommand($"SELECT pg_terminate_backend({session.ProcessId})", other))
        {
            await kill.ExecuteNonQueryAsync();
        }

        await held.DisposeAsync();
    }

    [Fact]
    public async Task Releasing_inside_a_failed_transaction_does_not_hide_the_failure()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var second = await PostgreSqlTestSession.OpenAsync(db);
        await using (var session = await PostgreSqlTestSession.OpenAsync(db))
        {
            var held = await AcquireAsync(session, TimeSpan.Zero);
            await session.Executor.BeginTransactionAsync(CancellationToken.None);
            await Assert.ThrowsAsync<StatementFailedException>(() => session.ExecAsync("SELECT * FROM missing_table"));

            await held.DisposeAsync();
        }

        // Closing the session released it.
        await using var taken = await AcquireAsync(second, TimeSpan.FromSeconds(5));
    }
}
