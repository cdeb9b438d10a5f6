using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;
using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

/// <summary>How each way of failing to connect is named, including the ones a local test server cannot produce.</summary>
public class PostgreSqlConnectorTests
{
    private static readonly ProbeOps.Migrate.Providers.DatabaseTarget Target =
        PostgreSqlConnectionSettings.Parse("postgres://app:s3cret@db.internal:6432/orders");

    private static PostgreSqlConnector.Failure Classify(Exception e) =>
        PostgreSqlConnector.Classify(e, new NpgsqlConnectionStringBuilder(Target.ConnectionString), Target, TimeSpan.FromSeconds(10));

    private static PostgresException Server(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("28P01", false, "authentication failed for user \"app\" at postgres://app:***@db.internal:6432/orders: check the password")]
    [InlineData("28000", false, "the server refused user \"app\" at postgres://app:***@db.internal:6432/orders (no pg_hba.conf entry): check the user name and the server's pg_hba.conf")]
    [InlineData("3D000", false, "database \"orders\" does not exist at postgres://app:***@db.internal:6432/orders: create it (createdb orders) or correct the name")]
    [InlineData("42501", false, "user \"app\" may not connect to postgres://app:***@db.internal:6432/orders (no pg_hba.conf entry): grant CONNECT on the database or use another user")]
    [InlineData("57P03", true, "cannot connect to postgres://app:***@db.internal:6432/orders: no pg_hba.conf entry (after 2 attempts): retry when the server accepts connections again")]
    [InlineData("53300", true, "cannot connect to postgres://app:***@db.internal:6432/orders: no pg_hba.conf entry (after 2 attempts): retry when the server accepts connections again")]
    [InlineData("08006", true, "cannot connect to postgres://app:***@db.internal:6432/orders: no pg_hba.conf entry (after 2 attempts)")]
    public void Server_refusals_are_named_by_their_sqlstate(string sqlState, bool transient, string message)
    {
        var failure = Classify(Server(sqlState, "no pg_hba.conf entry"));

        Assert.Equal(transient, failure.Transient);
        Assert.Equal(message, failure.Message(" (after 2 attempts)"));
    }

    [Fact]
    public void Socket_failures_tell_refused_unknown_and_unreachable_apart()
    {
        var refused = Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)));
        var unknown = Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.HostNotFound)));
        var unreachable = Classify(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.HostUnreachable)));

        Assert.True(refused.Transient);
        Assert.Contains("connection refused", refused.Message(""), StringComparison.Ordinal);
        Assert.False(unknown.Transient);
        Assert.Contains("the host name \"db.internal\" is unknown", unknown.Message(""), StringComparison.Ordinal);
        Assert.True(unreachable.Transient);
        Assert.Contains("unreachable", unreachable.Message(""), StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_are_transient_and_name_the_per_attempt_limit()
    {
        var npgsqlTimeout = Classify(new NpgsqlException("Exception while connecting", new TimeoutException()));
        var backstop = Classify(new OperationCanceledException());

        Assert.True(npgsqlTimeout.Transient);
        Assert.Equal(
            "cannot connect to postgres://app:***@db.internal:6432/orders: no answer within 10 s (after 4 attempts): check the host, the port and any firewall in between",
            npgsqlTimeout.Message(" (after 4 attempts)"));
        Assert.True(backstop.Transient);
    }

    [Fact]
    public void Tls_failures_are_final()
    {
        var failure = Classify(new NpgsqlException("SSL", new AuthenticationException("remote certificate is invalid")));

        Assert.False(failure.Transient);
        Assert.Contains("check sslmode and the certificates", failure.Message(""), StringComparison.Ordinal);
    }

    [Fact]
    public void No_message_shows_the_password()
    {
        Exception[] failures =
        [
            Server("28P01", "password authentication failed"),
            new NpgsqlException("x", new SocketException((int)SocketError.ConnectionRefused)),
            new NpgsqlException("x", new TimeoutException()),
            new NpgsqlException("something else"),
        ];

        foreach (var e in failures)
        {
            Assert.DoesNotContain("s3cret", Classify(e).Message(" (after 3 attempts)"), StringComparison.Ordinal);
        }
    }
}
