using Npgsql;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the integration tests run against, named by <c>PROBEOPS_TEST_PG_URL</c>
/// (scripts/test.sh starts a throwaway cluster and sets it). Each test takes a database of its own
/// from <see cref="CreateDatabaseAsync"/>, so test classes can run in parallel.
/// A missing server fails the tests that need it; it never skips them.
/// </summary>
public sealed class PostgresServer
{
    public const string UrlVariable = "PROBEOPS_TEST_PG_URL";
    public const string BinVariable = "PROBEOPS_TEST_PG_BIN";

    public const string MissingServerMessage =
        "PostgreSQL tests need a server: run scripts/test.sh (it starts a throwaway cluster) or set PROBEOPS_TEST_PG_URL";

    private static readonly Lazy<PostgresServer> SharedServer = new(() => new PostgresServer(
        Environment.GetEnvironmentVariable(UrlVariable),
        Environment.GetEnvironmentVariable(BinVariable)));

    private readonly string? _adminUrl;
    private readonly Lazy<NpgsqlDataSource> _admin;

    private PostgresServer(string? adminUrl, string? binDirectory)
    {
        _adminUrl = string.IsNullOrWhiteSpace(adminUrl) ? null : adminUrl.Trim();
        BinDirectory = string.IsNullOrWhiteSpace(binDirectory) ? null : binDirectory;
        _admin = new Lazy<NpgsqlDataSource>(() =>
        {
            var builder = new NpgsqlConnectionStringBuilder(AdminTarget.ConnectionString) { Pooling = true, MaxPoolSize = 10 };
            return NpgsqlDataSource.Create(builder.ConnectionString);
        });
    }

    /// <summary>The server of this test run. Throws with the setup message when none is configured.</summary>
    public static PostgresServer Shared
    {
        get
        {
            var server = SharedServer.Value;
            _ = server.AdminUrl;
            return server;
        }
    }

    /// <summary>The superuser URL (<c>postgres://user:password@host:port/postgres</c>).</summary>
    public string AdminUrl => _adminUrl ?? throw new InvalidOperationException(MissingServerMessage);

    public DatabaseTarget AdminTarget => PostgreSqlConnectionSettings.Parse(AdminUrl);

    /// <summary>The server's bin directory (pg_dump, pg_restore, psql), when the run provides it.</summary>
    public string? BinDirectory { get; }

    /// <summary>A fresh, uniquely named, empty database; disposing it drops it.</summary>
    public Task<TestDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseNamedAsync("probeops_t_" + Guid.NewGuid().ToString("N")[..16], cancellationToken);

    /// <summary>An empty database of this name (which must be unique to the test); disposing it drops it.</summary>
    public async Task<TestDatabase> CreateDatabaseNamedAsync(string name, CancellationToken cancellationToken = default)
    {
        await using (var command = _admin.Value.CreateCommand($"CREATE DATABASE {PostgreSqlSyntax.QuoteIdentifier(name)}"))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new TestDatabase(this, name, UrlFor(name));
    }

    /// <summary>A plain connection of the test's own, e.g. to hold a lock the session must wait for.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(TestDatabase database, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Target.ConnectionString) { ApplicationName = "probeops-tests" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    internal async Task DropDatabaseAsync(string name)
    {
        await using var command = _admin.Value.CreateCommand(
            $"DROP DATABASE IF EXISTS {PostgreSqlSyntax.QuoteIdentifier(name)} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The admin URL with its database replaced, and optionally its user and password.</summary>
    public string UrlFor(string database, string? user = null, string? password = null)
    {
        var url = AdminUrl;
        var authorityStart = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var queryStart = url.IndexOf('?', authorityStart);
        var end = queryStart < 0 ? url.Length : queryStart;
        var at = url.LastIndexOf('@', end - 1, end - authorityStart);
        var pathStart = url.IndexOf('/', at < 0 ? authorityStart : at);
        if (pathStart < 0 || pathStart > end)
        {
            pathStart = end;
        }

        var prefix = url[..pathStart];
        if (user is not null)
        {
            prefix = url[..authorityStart] + user + ":" + password + url[at..pathStart];
        }

        return prefix + "/" + database + url[end..];
    }
}
