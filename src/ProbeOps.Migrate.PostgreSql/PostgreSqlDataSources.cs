using System.Collections.Concurrent;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The Npgsql data sources of one provider, one per connection string, disposed with the provider.
/// Built here rather than left to <c>new NpgsqlConnection(string)</c>, whose cache lives for the
/// process, to switch type loading off: the tool reads back only built-in types (migrations return
/// nothing it reads), so loading the server's type catalogue, a query of its own on every
/// connection, buys nothing.
/// </summary>
internal sealed class PostgreSqlDataSources : IAsyncDisposable, IDisposable
{
    private readonly ConcurrentDictionary<string, NpgsqlDataSource> _sources = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <summary>A new, closed connection for <paramref name="connectionString"/>.</summary>
    public NpgsqlConnection CreateConnection(string connectionString)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _sources.GetOrAdd(
                connectionString,
                static settings => new NpgsqlDataSourceBuilder(settings)
                    .ConfigureTypeLoading(types => types.EnableTypeLoading(false))
                    .Build())
            .CreateConnection();
    }

    /// <summary>How many data sources are open; zero once disposed.</summary>
    public int Count => _sources.Count;

    public async ValueTask DisposeAsync()
    {
        foreach (var source in TakeAll())
        {
            await source.DisposeAsync();
        }
    }

    public void Dispose()
    {
        foreach (var source in TakeAll())
        {
            source.Dispose();
        }
    }

    /// <summary>Refuses new connections and hands over every data source, each once.</summary>
    private List<NpgsqlDataSource> TakeAll()
    {
        _disposed = true;
        var taken = new List<NpgsqlDataSource>();
        foreach (var key in _sources.Keys)
        {
            if (_sources.TryRemove(key, out var source))
            {
                taken.Add(source);
            }
        }

        return taken;
    }
}
