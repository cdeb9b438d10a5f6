using System.Collections.Concurrent;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// Expected schemas computed once and reused by every target of a fleet (SPEC §12): the first target to need
/// one replays the migrations, the others running at the same time wait for it and take its result. Only
/// what does not depend on one database is shared (a replay, the cache, a snapshot), never a database's
/// own recorded schema. Safe to use from several threads.
/// </summary>
public sealed class SharedExpectedSchemas
{
    private readonly ConcurrentDictionary<string, ExpectedSchema> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public bool TryGet(string key, out ExpectedSchema schema) => _schemas.TryGetValue(key, out schema!);

    public void Put(string key, ExpectedSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Source != ExpectedSchemaSource.Recorded)
        {
            _schemas[key] = schema;
        }
    }

    /// <summary>Waits until no other target computes <paramref name="key"/>; dispose the result to let the next one in.</summary>
    public async Task<IDisposable> EnterAsync(string key, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Exit(gate);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
