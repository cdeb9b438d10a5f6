using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Infrastructure;

/// <summary>A database of one test; dropped (with any open connections) on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer _server;

    internal TestDatabase(PostgresServer server, string name, string url)
    {
        _server = server;
        Name = name;
        Url = url;
        Target = PostgreSqlConnectionSettings.Parse(url);
    }

    public string Name { get; }

    /// <summary><c>postgres://user:password@host:port/name</c>.</summary>
    public string Url { get; }

    public DatabaseTarget Target { get; }

    public async ValueTask DisposeAsync() => await _server.DropDatabaseAsync(Name);
}
