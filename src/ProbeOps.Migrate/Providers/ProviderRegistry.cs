using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers;

/// <summary>
/// The providers an application knows; picks the one a database setting belongs to. It owns them:
/// disposing the registry disposes every provider, once its sessions are closed.
/// </summary>
public sealed class ProviderRegistry(IEnumerable<IDatabaseProvider> providers) : IAsyncDisposable
{
    private readonly IReadOnlyList<IDatabaseProvider> _providers = [.. providers];

    public IReadOnlyList<IDatabaseProvider> Providers => _providers;

    /// <summary>Parses a database setting; throws <see cref="MigrateException"/> (Usage) when no provider recognises it.</summary>
    public (IDatabaseProvider Provider, DatabaseTarget Target) Resolve(string setting)
    {
        foreach (var provider in _providers)
        {
            if (provider.TryParse(setting) is { } target)
            {
                return (provider, target);
            }
        }

        throw new MigrateException(
            FailureKind.Usage,
            "The database setting is not recognised: use postgres://user@host/db, postgresql://..., Host=...;Database=..., sqlite:PATH or sqlite::memory:.");
    }

    /// <summary>
    /// The dialect of the provider <paramref name="setting"/> belongs to; null when there is no setting or no
    /// provider takes it (a malformed setting is reported by the commands that connect, not here).
    /// </summary>
    public ISqlDialect? DialectOf(string? setting)
    {
        if (setting is null)
        {
            return null;
        }

        try
        {
            return _providers.Select(p => p.TryParse(setting) is null ? null : p.Dialect).FirstOrDefault(d => d is not null);
        }
        catch (MigrateException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }
}
