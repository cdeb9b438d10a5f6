using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Schema;

/// <summary>Where an expected schema came from.</summary>
public enum ExpectedSchemaSource
{
    /// <summary>A replay done before, kept in the cache (or earlier in this run).</summary>
    Cache,

    /// <summary>The migrations replayed into a shadow database just now.</summary>
    Shadow,

    /// <summary>A snapshot file committed beside the migrations.</summary>
    Snapshot,
}

/// <summary>The schema the migrations produce at some revisions, and how it was obtained.</summary>
/// <param name="Heads">The heads of the revisions replayed; empty for nothing applied.</param>
/// <param name="RevisionCount">How many revisions were replayed.</param>
/// <param name="MigrationsHash">See <see cref="ExpectedSchemaCache.MigrationsHash"/>.</param>
/// <param name="ServerVersion">The server the replay ran on.</param>
/// <param name="Description">One line for reports, e.g. <c>replayed 3 migrations into shadow database ...</c>.</param>
public sealed record ExpectedSchema(
    DatabaseSchema Schema,
    ExpectedSchemaSource Source,
    IReadOnlyList<string> Heads,
    int RevisionCount,
    string MigrationsHash,
    string ServerVersion,
    string Description)
{
    public SchemaSnapshot ToSnapshot() => new()
    {
        Format = SchemaSnapshot.FormatName,
        Version = SchemaSnapshot.CurrentVersion,
        Tool = ToolInfo.Version,
        ServerVersion = ServerVersion,
        Heads = Heads,
        RevisionCount = RevisionCount,
        MigrationsHash = MigrationsHash,
        Schema = Schema,
    };
}

/// <summary>How well one revision matches a database's schema (for <c>--stamp-unversioned auto</c>).</summary>
public sealed record RevisionMatch(string Revision, SchemaComparison Comparison)
{
    public bool Matches => !Comparison.HasDrift;
}

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
    private readonly ProviderRegistry _providers;
    private readonly DriftOptions _options;
    private readonly TimeProvider _time;
    private readonly IMigrationObserver _observer;
    private readonly Actor _actor;
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
        _providers = providers;
        _options = options;
        _time = time;
        _observer = observer;
        _actor = actor;
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

    /// <summary>The expected schema with exactly <paramref name="applied"/> applied (ids the graph does not know are ignored).</summary>
    public async Task<ExpectedSchema> BuildAsync(IDatabaseSession live, RevisionGraph graph, IReadOnlySet<string> applied, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);
        var revisions = graph.TopologicalOrder.Where(r => applied.Contains(r.Id)).ToList();
        var hash = ExpectedSchemaCache.MigrationsHash(revisions);
        var key = Key(live, hash);
        if (_memory.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        if (_options.SnapshotFile is { } explicitSnapshot)
        {
            return Remember(key, FromSnapshot(explicitSnapshot, graph, revisions, hash, live, required: true, unavailable: null)!);
        }

        if (FromCache(key, graph, revisions, hash) is { } cached)
        {
            return Remember(key, cached);
        }

        try
        {
            var replayed = await ReplayAsync(live, graph, revisions, hash, cancellationToken);
            return Remember(key, replayed);
        }
        catch (ShadowDatabaseUnavailableException ex)
        {
            var path = DefaultSnapshotPath(_settings, _provider.Name);
            if (File.Exists(path) && FromSnapshot(path, graph, revisions, hash, live, required: false, unavailable: ex) is { } snapshot)
            {
                return Remember(key, snapshot);
            }

            throw;
        }
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
        var prefixHashes = ExpectedSchemaCache.PrefixHashes(order);

        // A revision's state is a prefix of the topological order when that prefix has one head, the revision:
        // counted incrementally, so a straight chain of any length costs one pass.
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

        var results = new Dictionary<string, ExpectedSchema>(StringComparer.Ordinal);
        var prefixReads = new Dictionary<int, List<(string Label, string Key, string Hash)>>();
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

                list.Add((candidate.Label, key, candidate.Hash));
            }
            else
            {
                separate.Add(candidate);
            }
        }

        if (prefixReads.Count > 0)
        {
            await ReplayStepwiseAsync(live, graph, [.. order.Take(prefixReads.Keys.Max())], prefixReads, results, cancellationToken);
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
        IDatabaseSession live, RevisionGraph graph, IReadOnlyList<Revision> revisions, string hash, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, ExpectedSchema>(StringComparer.Ordinal);
        var key = Key(live, hash);
        await ReplayStepwiseAsync(
            live, graph, revisions, new Dictionary<int, List<(string, string, string)>> { [revisions.Count] = [("target", key, hash)] }, results, cancellationToken);
        return results["target"];
    }

    /// <summary>
    /// Replays <paramref name="revisions"/> in order into one shadow database, reading it whenever
    /// the number applied is a key of <paramref name="readAfter"/> (zero: before any), and records each
    /// reading under its labels, in memory and in the cache.
    /// </summary>
    private async Task ReplayStepwiseAsync(
        IDatabaseSession live,
        RevisionGraph graph,
        IReadOnlyList<Revision> revisions,
        Dictionary<int, List<(string Label, string Key, string Hash)>> readAfter,
        Dictionary<string, ExpectedSchema> results,
        CancellationToken cancellationToken)
    {
        var shadow = await OpenShadowAsync(live, cancellationToken);
        try
        {
            var session = shadow.Session;
            var inspector = session.SchemaInspector
                ?? throw new MigrateException(FailureKind.Usage, $"The {_provider.Name} provider cannot read schemas.");
            var options = new RunOptions(TransactionMode.Single, DryRun: false, LockRetries: 0, "shadow-" + ToolInfo.NewDeployId(_time), _actor);
            var runner = new MigrationRunner(session, options, _time, _observer);
            var applied = 0;
            while (true)
            {
                if (readAfter.TryGetValue(applied, out var labels))
                {
                    var read = await inspector.ReadAsync(new SchemaReadOptions(_options.IncludePrivileges), cancellationToken);
                    var replayed = revisions.Take(applied).ToList();
                    var expected = new ExpectedSchema(
                        read.Schema, ExpectedSchemaSource.Shadow, HeadsOf(graph, replayed), applied, labels[0].Hash, session.ServerVersion,
                        $"replayed {Count(applied)} into {shadow.Description}");
                    foreach (var (label, key, _) in labels)
                    {
                        results[label] = Remember(key, expected);
                    }

                    if (_cache?.TryPut(labels[0].Key, expected.ToSnapshot()) is { } problem)
                    {
                        _observer.Notice(problem);
                    }
                }

                if (applied == revisions.Count)
                {
                    break;
                }

                // Up to the next reading in one run: one transaction for the transactional stretch, as a deploy would.
                var next = readAfter.Keys.Where(k => k > applied).DefaultIfEmpty(revisions.Count).Min();
                var steps = revisions.Skip(applied).Take(next - applied).ToList();
                try
                {
                    await runner.RunAsync(new MigrationPlan(MigrationDirection.Upgrade, steps), cancellationToken);
                }
                catch (MigrateException ex) when (ex is not ShadowDatabaseUnavailableException)
                {
                    throw new MigrateException(
                        FailureKind.MigrationFailed,
                        $"The expected schema cannot be computed: replaying the migrations into {shadow.Description} failed: {ex.Message} " +
                        "Every migration must run on an empty database of this server; nothing was changed in the database checked.",
                        ex);
                }

                applied = next;
            }
        }
        finally
        {
            await shadow.DisposeAsync();
            if (shadow.CleanupProblem is { } problem)
            {
                _observer.Notice(problem);
            }
        }
    }

    private async Task<IShadowDatabase> OpenShadowAsync(IDatabaseSession live, CancellationToken cancellationToken)
    {
        if ((_options.ShadowDatabase ?? _settings.ShadowDatabase) is not { } setting)
        {
            var inspector = live.SchemaInspector
                ?? throw new MigrateException(FailureKind.Usage, $"The {_provider.Name} provider cannot read schemas.");
            return await inspector.CreateShadowAsync(_settings.ToSessionOptions(), cancellationToken);
        }

        var (provider, target) = _providers.Resolve(setting);
        if (!string.Equals(provider.Name, _provider.Name, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"The shadow database {target.Display} is {provider.Name}; the database checked is {_provider.Name}: give a {_provider.Name} database.");
        }

        if (string.Equals(target.ConnectionString, live.Target.ConnectionString, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, "The shadow database is the database being checked: give an empty database of its own (it is emptied after use).");
        }

        var session = await provider.OpenSessionAsync(target, _settings.ToSessionOptions(), cancellationToken);
        try
        {
            if (await session.Inspector.GetStateAsync(cancellationToken) != DatabaseState.Empty)
            {
                var objects = await session.Inspector.ListUserObjectsAsync(cancellationToken);
                throw new MigrateException(
                    FailureKind.Usage,
                    $"The shadow database {target.Display} is not empty ({string.Join(", ", objects.Take(5))}{(objects.Count > 5 ? ", ..." : "")}): " +
                    "give an empty database; the migrations are replayed into it and it is emptied again afterwards.");
            }
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return new GivenShadowDatabase(session);
    }

    private static IReadOnlyList<string> HeadsOf(RevisionGraph graph, IReadOnlyList<Revision> revisions) =>
        graph.HeadsOf(revisions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal));

    private static string Describe(IReadOnlyList<string> heads) => heads.Count == 0 ? "base (nothing applied)" : string.Join(", ", heads);

    private static string Count(int revisions) => revisions == 1 ? "1 migration" : $"{revisions} migrations";

    /// <summary>A database the user gave for replays: emptied after use (objects and history; the audit log stays, as after <c>reset</c>).</summary>
    private sealed class GivenShadowDatabase(IDatabaseSession session) : IShadowDatabase
    {
        public IDatabaseSession Session => session;

        public string Description => $"shadow database {session.Target.Display}";

        public string? CleanupProblem { get; private set; }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                await session.Cleaner.DropAllAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is StatementFailedException or MigrateException or InvalidOperationException)
            {
                CleanupProblem = $"The shadow database {session.Target.Display} could not be emptied ({ex.Message}): empty it by hand before the next check.";
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }
}
