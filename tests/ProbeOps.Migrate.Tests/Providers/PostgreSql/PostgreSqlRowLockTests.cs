using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

/// <summary>The lock row of a server without advisory locks, forced onto the test PostgreSQL.</summary>
public class PostgreSqlRowLockTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static PostgresServer Server => PostgresServer.Shared;

    private static SessionOptions RowLock(TimeSpan lease, TimeSpan renewal, HistoryTableName? history = null) =>
        PostgreSqlTestSession.Options(history) with { Lock = new MigrationLockOptions(MigrationLockKind.Row, lease, renewal) };

    private static SessionOptions RowLock(HistoryTableName? history = null) =>
        RowLock(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), history);

    private static Task<IAsyncDisposable> AcquireAsync(IDatabaseSession session, TimeSpan wait) =>
        session.Lock.AcquireAsync(wait, CancellationToken.None).WaitAsync(Guard);

    /// <summary>Waits until <paramref name="sql"/> (a boolean query) is true on <paramref name="session"/>.</summary>
    private static async Task WaitUntilAsync(PostgreSqlSession session, string sql)
    {
        using var timeout = new CancellationTokenSource(Guard);
        while (!await session.ScalarAsync<bool>(sql))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task The_probe_finds_postgresql_with_every_capability_and_takes_the_advisory_lock()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Equal(PostgreSqlFlavour.PostgreSql, session.Server!.Flavour);
        Assert.Equal(PostgreSqlTestSession.Provider.Capabilities, session.Capabilities);
        Assert.IsType<PostgreSqlLock>(session.Lock);
        Assert.StartsWith("PostgreSQL " + session.ServerVersion, session.Server.Describe(), StringComparison.Ordinal);

        // The probe's own advisory lock is released: nothing is left in pg_locks.
        Assert.Equal(0L, await session.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }

    [Theory]
    [InlineData("PostgreSQL 15.4 on x86_64-pc-linux-gnu", false, PostgreSqlFlavour.PostgreSql)]
    [InlineData("PostgreSQL 16.2 on x86_64-pc-linux-gnu", true, PostgreSqlFlavour.Citus)]
    [InlineData("CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu)", false, PostgreSqlFlavour.CockroachDb)]
    [InlineData("PostgreSQL 11.2-YB-2.20.1.0-b0 on x86_64-pc-linux-gnu", false, PostgreSqlFlavour.YugabyteDb)]
    public void The_flavour_comes_from_the_version_banner_and_the_citus_extension(string banner, bool citus, PostgreSqlFlavour expected) =>
        Assert.Equal(expected, PostgreSqlServerProbe.FlavourOf(banner, citus));

    [Fact]
    public async Task Forcing_the_row_lock_plans_as_a_server_without_advisory_locks()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db, RowLock());

        Assert.IsType<PostgreSqlRowLock>(session.Lock);
        Assert.False(session.Capabilities.AdvisoryLocks);
        Assert.True(session.Capabilities.TransactionalDdl);
        await using (await AcquireAsync(session, TimeSpan.Zero))
        {
            Assert.Equal(1L, await session.ScalarAsync<long>("SELECT count(*) FROM public.probeops_schema_history_lock"));
            Assert.Equal(0L, await session.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        }

        // Released: the row is gone, the table stays.
        Assert.Equal(0L, await session.ScalarAsync<long>("SELECT count(*) FROM public.probeops_schema_history_lock"));
    }

    [Fact]
    public async Task Sessions_racing_for_the_row_lock_get_it_one_at_a_time()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var sessions = new List<PostgreSqlSession>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await PostgreSqlTestSession.OpenAsync(db, RowLock()));
        }

        try
        {
            for (var round = 0; round < 3; round++)
            {
                var attempts = sessions.Select(s => Attempt(s)).ToList();
                var results = await Task.WhenAll(attempts);
                var winners = results.Where(r => r.Held is not null).ToList();
                Assert.Single(winners);
                foreach (var loser in results.Where(r => r.Held is null))
                {
                    Assert.Equal(FailureKind.LockTimeout, loser.Error!.Kind);
                    Assert.Contains("holds the migration lock row", loser.Error.Message, StringComparison.Ordinal);
                    Assert.Contains($"pid {Environment.ProcessId}", loser.Error.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain('\n', loser.Error.Message);
                }

                await winners[0].Held!.DisposeAsync();
            }
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }

        static async Task<(IAsyncDisposable? Held, MigrateException? Error)> Attempt(IDatabaseSession session)
        {
            try
            {
                return (await AcquireAsync(session, TimeSpan.Zero), null);
            }
            catch (MigrateException e)
            {
                return (null, e);
            }
        }
    }

    [Fact]
    public async Task A_waiting_session_gets_the_row_lock_once_it_is_released()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlTestSession.OpenAsync(db, RowLock());
        await using var second = await PostgreSqlTestSession.OpenAsync(db, RowLock());
        var held = await AcquireAsync(first, TimeSpan.Zero);

        var waiting = AcquireAsync(second, TimeSpan.FromMinutes(10));
        await Assert.ThrowsAsync<MigrateException>(() => AcquireAsync(first, TimeSpan.Zero));
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();

        await using var taken = await waiting;
        Assert.Null(second.Lock.Notice);
    }

    [Fact]
    public async Task A_lease_no_one_renews_is_taken_over_once_expired_and_the_takeover_is_told()
    {
        await using var db = await Server.CreateDatabaseAsync();

        // The first run stops renewing, as a crashed one does: its renewal period is longer than the test.
        await using var crashed = await PostgreSqlTestSession.OpenAsync(db, RowLock(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
        await using var next = await PostgreSqlTestSession.OpenAsync(db, RowLock());
        var abandoned = await AcquireAsync(crashed, TimeSpan.Zero);

        await using var taken = await AcquireAsync(next, TimeSpan.FromSeconds(30));

        Assert.Contains("took over the migration lock row of a run that stopped renewing it", next.Lock.Notice, StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", next.Lock.Notice, StringComparison.Ordinal);

        // The crashed run's late release leaves the new holder's row alone.
        await abandoned.DisposeAsync();
        Assert.Equal(1L, await next.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history_lock WHERE expires_at > now()"));
        await Assert.ThrowsAsync<MigrateException>(() => AcquireAsync(crashed, TimeSpan.Zero));
    }

    [Fact]
    public async Task Renewal_keeps_a_long_run_s_lease_alive_past_its_first_expiry()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var holder = await PostgreSqlTestSession.OpenAsync(db, RowLock(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200)));
        await using var other = await PostgreSqlTestSession.OpenAsync(db, RowLock());
        await using var held = await AcquireAsync(holder, TimeSpan.Zero);

        // Well past the first lease: the row's expiry has moved on more than two leases from its start.
        await WaitUntilAsync(other, "SELECT coalesce((SELECT now() > acquired_at + interval '2 s' FROM probeops_schema_history_lock), false)");

        var error = await Assert.ThrowsAsync<MigrateException>(() => AcquireAsync(other, TimeSpan.Zero));
        Assert.Equal(FailureKind.LockTimeout, error.Kind);
    }

    [Fact]
    public async Task A_run_that_loses_its_lease_is_stopped_rather_than_migrating_beside_another()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var holder = await PostgreSqlTestSession.OpenAsync(db, RowLock(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)));
        await using var other = await PostgreSqlTestSession.OpenAsync(db, RowLock());
        await using var held = await AcquireAsync(holder, TimeSpan.Zero);
        var migrating = holder.ExecAsync("SELECT pg_sleep(120)");

        // Another party takes the row, as a run would after a lease that lapsed.
        await other.ExecAsync("UPDATE probeops_schema_history_lock SET token = 'someone else'");

        var error = await Assert.ThrowsAsync<StatementFailedException>(() => migrating.WaitAsync(Guard));
        Assert.True(error.IsConnectionLost, error.Message);
    }

    [Theory]
    [InlineData(MigrationLockKind.Advisory)]
    [InlineData(MigrationLockKind.Row)]
    public async Task Tenant_schemas_of_one_database_lock_apart_and_one_schema_locks_together(MigrationLockKind kind)
    {
        await using var db = await Server.CreateDatabaseAsync();
        SessionOptions For(string schema) =>
            PostgreSqlTestSession.Options(new HistoryTableName(Schema: schema)) with { Lock = MigrationLockOptions.ForLease(kind, TimeSpan.FromSeconds(30)) };
        await using var tenantA = await PostgreSqlTestSession.OpenAsync(db, For("tenant_a"));
        await using var tenantB = await PostgreSqlTestSession.OpenAsync(db, For("tenant_b"));
        await using var tenantAgain = await PostgreSqlTestSession.OpenAsync(db, For("tenant_a"));

        await using var heldA = await AcquireAsync(tenantA, TimeSpan.Zero);
        await using var heldB = await AcquireAsync(tenantB, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<MigrateException>(() => AcquireAsync(tenantAgain, TimeSpan.Zero));
        Assert.Equal(FailureKind.LockTimeout, error.Kind);
    }
}
