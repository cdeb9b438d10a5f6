using System.Net;
using System.Net.Sockets;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlSessionTests
{
    private static PostgresServer Server => PostgresServer.Shared;

    private static string Password => new Npgsql.NpgsqlConnectionStringBuilder(Server.AdminTarget.ConnectionString).Password!;

    private static async Task<MigrateException> OpenFailsAsync(string url, int retries = 0)
    {
        var target = PostgreSqlConnectionSettings.Parse(url);
        var error = await Assert.ThrowsAsync<MigrateException>(
            () => PostgreSqlTestSession.Provider.OpenSessionAsync(target, PostgreSqlTestSession.Options(retries: retries), CancellationToken.None));
        Assert.Equal(FailureKind.DatabaseUnreachable, error.Kind);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    /// <summary>The test database's URL with one part replaced.</summary>
    private static string WithPassword(TestDatabase db, string password) =>
        db.Url.Replace(":" + Password + "@", ":" + password + "@", StringComparison.Ordinal);

    [Fact]
    public async Task Session_reports_the_server_version_and_names_itself()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Matches(@"^\d+(\.\d+)?$", session.ServerVersion);
        Assert.InRange(session.ServerVersionNumber, 100000, 999999);
        Assert.StartsWith(session.ServerVersion.Split('.')[0], session.ServerVersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("probeops-migrate", await session.ScalarAsync<string>("SHOW application_name"));

        // Set in the same round trip as the probe, which takes and releases an advisory lock of its own.
        await using var timed = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(lockTimeout: TimeSpan.FromSeconds(3)));
        Assert.Equal("3s", await timed.ScalarAsync<string>("SHOW lock_timeout"));
        Assert.Equal(0L, await timed.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"));
        Assert.True(timed.Capabilities.AdvisoryLocks);
        Assert.Equal(db.Name, await session.ScalarAsync<string>("SELECT current_database()"));
        Assert.Equal(session.ProcessId, await session.ScalarAsync<int>("SELECT pg_backend_pid()"));
        Assert.Same(db.Target, session.Target);
        Assert.True(session.Capabilities.AdvisoryLocks);
    }

    [Fact]
    public async Task The_provider_owns_its_data_sources_and_releases_them_when_disposed()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var provider = new PostgreSqlProvider();
        await using (var session = await provider.OpenSessionAsync(db.Target, PostgreSqlTestSession.Options(), CancellationToken.None))
        {
            await using var shadow = await session.ShadowDatabases!.CreateShadowAsync(PostgreSqlTestSession.Options(), CancellationToken.None);
            Assert.Equal(2, provider.OpenDataSources);

            // Another provider keeps its own: nothing is shared through the process.
            await using var other = new PostgreSqlProvider();
            Assert.Equal(0, other.OpenDataSources);
        }

        await provider.DisposeAsync();

        Assert.Equal(0, provider.OpenDataSources);
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => provider.OpenSessionAsync(db.Target, PostgreSqlTestSession.Options(), CancellationToken.None));
    }

    [Fact]
    public async Task Wrong_password_fails_at_once_with_a_masked_actionable_message()
    {
        await using var db = await Server.CreateDatabaseAsync();

        var error = await OpenFailsAsync(WithPassword(db, "not-the-password"), retries: 3);

        Assert.StartsWith("authentication failed for user \"postgres\" at postgres://postgres:***@", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": check the password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_user_fails_as_an_authentication_failure()
    {
        await using var db = await Server.CreateDatabaseAsync();

        var error = await OpenFailsAsync(db.Url.Replace("postgres://postgres:", "postgres://nobody_here:", StringComparison.Ordinal));

        Assert.Contains("user \"nobody_here\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_named_in_the_message()
    {
        await using var db = await Server.CreateDatabaseAsync();

        var error = await OpenFailsAsync(db.Url.Replace(db.Name, "no_such_db", StringComparison.Ordinal), retries: 3);

        Assert.StartsWith("database \"no_such_db\" does not exist at postgres://postgres:***@", error.Message, StringComparison.Ordinal);
        Assert.Contains("createdb no_such_db", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_port_is_retried_then_reported_as_refused()
    {
        var port = ClosedPort();
        var url = $"postgres://postgres:{Password}@127.0.0.1:{port}/postgres";

        var error = await OpenFailsAsync(url, retries: 2);

        Assert.Equal(
            $"connection refused by postgres://postgres:***@127.0.0.1:{port}/postgres (after 3 attempts): check that PostgreSQL is running and listens on that host and port",
            error.Message);
    }

    [Fact]
    public async Task Unknown_host_is_not_retried()
    {
        var error = await OpenFailsAsync($"postgres://postgres:{Password}@no-such-host.invalid/postgres", retries: 5);

        // A retried failure names its attempts ("after 6 attempts"); one that was not retried does not.
        Assert.Contains("the host name \"no-such-host.invalid\" is unknown", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_retries_are_bounded_by_the_options()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), PostgreSqlConnector.RetryDelay(1));
        Assert.Equal(TimeSpan.FromMilliseconds(500), PostgreSqlConnector.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(4), PostgreSqlConnector.RetryDelay(30));

        // No retry: one attempt, so the message counts none.
        var port = ClosedPort();
        var error = await OpenFailsAsync($"postgres://postgres:x@127.0.0.1:{port}/postgres", retries: 0);
        Assert.StartsWith("connection refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_session_closes_its_connection()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var session = await PostgreSqlTestSession.OpenAsync(db);
        var pid = session.ProcessId;

        await session.DisposeAsync();

        await using var observer = await PostgreSqlTestSession.OpenAsync(db);
        for (var i = 0; i < 50 && await observer.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {pid})"); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(await observer.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = {pid})"));
    }

    /// <summary>A loopback port nothing listens on: bound by the OS, then closed.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
