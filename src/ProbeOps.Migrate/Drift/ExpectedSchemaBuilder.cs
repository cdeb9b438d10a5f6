using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// Computes the expected schema at a set of applied revisions: from memory or the cache when the
/// same migrations were replayed on the same server version before; otherwise by replaying them
/// into a shadow database (a temporary one on the same server, or the one given with
/// <c>--shadow-database</c>; SQLite: in memory) and reading it; or, when no shadow database can be
/// had, from the committed snapshot if it is of exactly those revisions.
/// </summary>
public sealed class ExpectedSchemaBuilder
{
    private readonly IDatabaseProvider _provider;
    private readonly MigrateSettings _settings;
    private readonly DriftOptions _options;
    private readonly IMigrationObserver _observer;
    private readonly ShadowReplay _replay;
    private readonly ExpectedSchemaCache? _cache;
    private readonly Dictionary<string, ExpectedSchema> _memory = new(StringComparer.Ordinal);

    public ExpectedSchemaBuilder(
        IDatabaseProvider provider,
        MigrateSettings settings,
        ProviderRegistry providers,
        DriftOptions options,
        TimeProvider time,
        IMigrationObserver observer,
        Actor actor)
    {
        _provider = provider;
        _settings = settings;
        _options = options;
        _observer = observer;
        _replay = new ShadowReplay(provider, new ShadowDatabaseOpener(provider, settings, providers, options), options, time, observer, actor);
        _cache = options.UseCache
            ? new ExpectedSchemaCache(options.CacheDirectory ?? ExpectedSchemaCache.DefaultDirectory(Environment.GetEnvironmentVariable))
            : null;
    }

    /// <summary>The snapshot file <c>snapshot</c> writes and <c>drift</c> falls back to: <c>schema.&lt;provider&gt;.json</c> in the migrations directory.</summary>
    public static string DefaultSnapshotPath(MigrateSettings settings, string provider) =>
        Path.Combine(settings.MigrationsDirectory, $"schema.{provider}.json");

    /// <summary>The server's major version as the cache and snapshots record it.</summary>
    public static int ServerMajor(IDatabaseSession session) =>
        session.Capabilities.ServerProcess ? session.ServerVersionNumber / 10000 : session.ServerVersionNumber;

    /// <summary>
    /// The expected schema with exactly <paramref name="applied"/> applied (ids the graph does not know are ignored),
    /// then <paramref name="repeatables"/>, in their order.
    /// </summary>
    public async Task<ExpectedSchema> BuildAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlySet<string> applied,
        CancellationToken cancellationToken,
        IReadOnlyList<RepeatableMigration>? repeatables = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        repeatables ??= [];
        var revisions = graph.TopologicalOrder.Where(r => applied.Contains(r.Id)).ToList();
        var hash = ExpectedSchemaCache.MigrationsHash(revisions, repeatables);
        var key = Key(live, hash);
        if (_memory.TryGetValue(key, out var remembered) || _options.Shared?.TryGet(key, out remembered) == true)
        {
            return remembered;
        }

        using var turn = _options.Shared is { } shared ? await shared.EnterAsync(key, cancellationToken) : null;
        if (_options.Shared?.TryGet(key, out remembered) == true)
        {
            return remembered;
        }

        if (_options.SnapshotFile is { } explicitSnapshot)
        {
            return Remember(key, FromSnapshot(explicitSnapshot, graph, revisions, hash, live, required: true, unavailable: null)!);
        }

        if (_options.Method == DriftMethod.Recorded)
        {
            return await RememberRecordedAsync(key, await RecordedExpectedSchema.StartAsync(live, graph, revisions, hash, why: null, history: null, cancellationToken));
        }

        if (FromCache(key, graph, revisions, hash) is { } cached)
        {
            return Remember(key, cached);
        }

        try
        {
            var replayed = await ReplayAsync(live, graph, revisions, hash, cancellationToken, repeatables);
            return Remember(key, replayed);
        }
        catch (ShadowDatabaseUnavailableException ex) when (_options.Method == DriftMethod.Auto)
        {
            return Remember(key, await FallBackAsync(live, graph, revisions, hash, ex, cancellationToken));
        }
    }

    /// <summary>
    /// For <c>--method recorded</c>: reads the recorded schema from the database now and returns its parse, which runs
    /// while the caller reads the live schema; null for every other check (use <see cref="BuildAsync"/>).
    /// <paramref name="history"/> is the history just read, if at hand.
    /// </summary>
    public async Task<Task<ExpectedSchema>?> StartRecordedAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlySet<string> applied,
        IReadOnlyList<RepeatableMigration> repeatables,
        IReadOnlyList<AppliedRevision>? history,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        if (_options.Method != DriftMethod.Recorded || _options.SnapshotFile is not null)
        {
            return null;
        }

        var revisions = graph.TopologicalOrder.Where(r => applied.Contains(r.Id)).ToList();
        var hash = ExpectedSchemaCache.MigrationsHash(revisions, repeatables);
        var key = Key(live, hash);
        if (_memory.TryGetValue(key, out var remembered))
        {
            return Task.FromResult(remembered);
        }

        var parsing = await RecordedExpectedSchema.StartAsync(live, graph, revisions, hash, why: null, history, cancellationToken);
        return RememberRecordedAsync(key, parsing);
    }

    private async Task<ExpectedSchema> RememberRecordedAsync(string key, Task<(ExpectedSchema? Schema, string Problem)> parsing)
    {
        var (recorded, problem) = await parsing;
        return Remember(key, recorded ?? throw new MigrateException(FailureKind.Usage, $"--method recorded: {problem}."));
    }

    /// <summary>
    /// Without a shadow database: the committed snapshot if it is of exactly these revisions, else the schema
    /// recorded in the database after the tool last changed it; neither is <see cref="ShadowDatabaseUnavailableException"/>.
    /// </summary>
    private async Task<ExpectedSchema> FallBackAsync(
        IDatabaseSession live, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash, ShadowDatabaseUnavailableException unavailable, CancellationToken cancellationToken)
    {
        var why = unavailable.Message;
        var path = DefaultSnapshotPath(_settings, _provider.Name);
        if (File.Exists(path))
        {
            try
            {
                return FromSnapshot(path, graph, revisions, hash, live, required: false, unavailable)!;
            }
            catch (ShadowDatabaseUnavailableException stale)
            {
                why = stale.Message;
            }
        }

        var (recorded, problem) = await RecordedExpectedSchema.ReadAsync(live, graph, revisions, hash, unavailable.Reason, cancellationToken);
        return recorded ?? throw new ShadowDatabaseUnavailableException($"{why} There is no recorded schema to compare against either: {problem}.", unavailable.Reason, unavailable);
    }

    /// <summary>
    /// Compares <paramref name="liveSchema"/> with the expected schema at every revision (each
    /// revision with its ancestors; with several heads, all of them too), replaying the migrations
    /// once in order and reading the shadow database after each, except where the cache already
    /// knows the answer.
    /// </summary>
    public async Task<IReadOnlyList<RevisionMatch>> MatchRevisionsAsync(
        IDatabaseSession live, DatabaseSchema liveSchema, RevisionGraph graph, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(liveSchema);
        ArgumentNullException.ThrowIfNull(graph);
        var order = graph.TopologicalOrder;
        var candidates = Candidates(graph);
        var results = new Dictionary<string, ExpectedSchema>(StringComparer.Ordinal);
        var prefixReads = new Dictionary<int, List<ReplayReading>>();
        var separate = new List<Candidate>();
        foreach (var candidate in candidates)
        {
            var key = Key(live, candidate.Hash);
            var revisions = candidate.Set is null ? order.Take(candidate.PrefixLength).ToList() : null;
            if (_memory.TryGetValue(key, out var known) ||
                (known = FromCache(key, graph, revisions ?? Revisions(graph, candidate.Set!), candidate.Hash)) is not null)
            {
                results[candidate.Label] = Remember(key, known);
            }
            else if (candidate.Set is null)
            {
                if (!prefixReads.TryGetValue(candidate.PrefixLength, out var list))
                {
                    prefixReads[candidate.PrefixLength] = list = [];
                }

                list.Add(new ReplayReading(candidate.Label, key, candidate.Hash));
            }
            else
            {
                separate.Add(candidate);
            }
        }

        if (prefixReads.Count > 0)
        {
            await _replay.RunAsync(live, graph, [.. order.Take(prefixReads.Keys.Max())], prefixReads, (readings, expected) => Record(readings, expected, results), cancellationToken);
        }

        foreach (var candidate in separate)
        {
            results[candidate.Label] = Remember(
                Key(live, candidate.Hash),
                await ReplayAsync(live, graph, Revisions(graph, candidate.Set!), candidate.Hash, cancellationToken));
        }

        var comparison = _options.Comparison;
        return [.. candidates.Select(c => new RevisionMatch(c.Label, SchemaComparer.Compare(results[c.Label].Schema, liveSchema, comparison)))];
    }

    /// <summary>
    /// The states to match: each revision with its ancestors, and all heads when there are several. A
    /// revision's state is a prefix of the topological order when that prefix has one head, the
    /// revision: counted incrementally, so a straight chain of any length costs one pass.
    /// </summary>
    private static List<Candidate> Candidates(RevisionGraph graph)
    {
        var order = graph.TopologicalOrder;
        var prefixHashes = ExpectedSchemaCache.PrefixHashes(order);
        var candidates = new List<Candidate>(order.Count + 1);
        var hasChild = new HashSet<string>(StringComparer.Ordinal);
        var heads = 0;
        for (var i = 0; i < order.Count; i++)
        {
            var revision = order[i];
            heads++;
            foreach (var parent in revision.Parents)
            {
                if (hasChild.Add(parent))
                {
                    heads--;
                }
            }

            candidates.Add(heads == 1
                ? new Candidate(revision.Id, i + 1, null, prefixHashes[i + 1])
                : Separate(graph, revision.Id, new HashSet<string>(graph.AncestorsOf(revision.Id), StringComparer.Ordinal) { revision.Id }));
        }

        if (graph.Heads.Count > 1)
        {
            candidates.Add(new Candidate("heads", order.Count, null, prefixHashes[order.Count]));
        }

        return candidates;
    }

    private static Candidate Separate(RevisionGraph graph, string label, IReadOnlySet<string> set) =>
        new(label, 0, set, ExpectedSchemaCache.MigrationsHash(Revisions(graph, set)));

    private static List<Revision> Revisions(RevisionGraph graph, IReadOnlySet<string> set) =>
        [.. graph.TopologicalOrder.Where(r => set.Contains(r.Id))];

    /// <summary>A state to match: the first <see cref="PrefixLength"/> revisions in order, or an explicit set.</summary>
    private sealed record Candidate(string Label, int PrefixLength, IReadOnlySet<string>? Set, string Hash);

    private string Key(IDatabaseSession live, string hash) =>
        ExpectedSchemaCache.Key(hash, _provider.Name, ServerMajor(live), _options.IncludePrivileges, _settings.History);

    private ExpectedSchema Remember(string key, ExpectedSchema schema)
    {
        _memory[key] = schema;
        _options.Shared?.Put(key, schema);
        return schema;
    }

    private ExpectedSchema? FromCache(string key, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash)
    {
        if (_cache?.TryGet(key) is not { } snapshot || !string.Equals(snapshot.MigrationsHash, hash, StringComparison.Ordinal))
        {
            return null;
        }

        return new ExpectedSchema(
            snapshot.Schema, ExpectedSchemaSource.Cache, HeadsOf(graph, revisions), revisions.Count, hash, snapshot.ServerVersion,
            $"cached replay of {Count(revisions.Count)} ({_cache.Directory})");
    }

    private ExpectedSchema? FromSnapshot(
        string path, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash, IDatabaseSession live, bool required, ShadowDatabaseUnavailableException? unavailable)
    {
        SchemaSnapshot snapshot;
        try
        {
            snapshot = SchemaJson.Read(File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot read the snapshot {path}: {ex.Message}", ex);
        }

        var heads = HeadsOf(graph, revisions);
        if (!string.Equals(snapshot.MigrationsHash, hash, StringComparison.Ordinal))
        {
            if (!required)
            {
                throw new ShadowDatabaseUnavailableException(
                    $"{unavailable?.Message} The snapshot {path} cannot stand in: it is of {Describe(snapshot.Heads)} and the database is at {Describe(heads)}" +
                    (snapshot.RevisionCount == revisions.Count ? " (or the migrations were edited since it was written)." : "."),
                    unavailable?.Reason ?? "",
                    unavailable);
            }

            throw new MigrateException(
                FailureKind.Usage,
                $"The snapshot {path} is of {Describe(snapshot.Heads)} ({snapshot.RevisionCount} revisions) but the database is at {Describe(heads)} ({revisions.Count}); " +
                "a snapshot stands for the expected schema only at its own revisions: write it again with `probeops-migrate snapshot`, or upgrade the database.");
        }

        if (!string.Equals(snapshot.Schema.Provider, _provider.Name, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"The snapshot {path} was taken on {snapshot.Schema.Provider}; the database is {_provider.Name}.");
        }

        var serverMajor = ServerMajor(live);
        var note = snapshot.Schema.ServerMajor == serverMajor
            ? ""
            : $"; taken on server version {snapshot.ServerVersion}, this server is {live.ServerVersion}: text the server prints may differ";
        var why = unavailable is null ? "" : ", because no shadow database could be created: " + unavailable.Reason;
        return new ExpectedSchema(
            snapshot.Schema, ExpectedSchemaSource.Snapshot, heads, revisions.Count, hash, snapshot.ServerVersion,
            $"snapshot {path}{why}{note}");
    }

    private async Task<ExpectedSchema> ReplayAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlyList<Revision> revisions,
        string hash,
        CancellationToken cancellationToken,
        IReadOnlyList<RepeatableMigration>? repeatables = null)
    {
        var results = new Dictionary<string, ExpectedSchema>(StringComparer.Ordinal);
        var readAfter = new Dictionary<int, List<ReplayReading>> { [revisions.Count] = [new ReplayReading("target", Key(live, hash), hash)] };
        await _replay.RunAsync(live, graph, revisions, readAfter, (readings, expected) => Record(readings, expected, results), cancellationToken, repeatables);
        return results["target"];
    }

    /// <summary>Records one reading of a replay under each of its labels, in memory and in the cache.</summary>
    private void Record(IReadOnlyList<ReplayReading> readings, ExpectedSchema expected, Dictionary<string, ExpectedSchema> results)
    {
        foreach (var reading in readings)
        {
            results[reading.Label] = Remember(reading.Key, expected);
        }

        if (_cache?.TryPut(readings[0].Key, expected.ToSnapshot()) is { } problem)
        {
            _observer.Notice(problem);
        }
    }

    private static IReadOnlyList<string> HeadsOf(RevisionGraph graph, IReadOnlyList<Revision> revisions) => ShadowReplay.HeadsOf(graph, revisions);

    private static string Describe(IReadOnlyList<string> heads) => heads.Count == 0 ? "base (nothing applied)" : string.Join(", ", heads);

    private static string Count(int revisions) => ShadowReplay.Count(revisions);
}
