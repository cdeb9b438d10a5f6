using System.Diagnostics;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>
/// One scenario's workspace on one engine: a directory with a migrations folder, a fresh database,
/// and the provider under test, reached through the library or the CLI process.
/// </summary>
public sealed class ConformanceRun : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly ProviderRegistry _providers;

    private ConformanceRun(ProviderFixture fixture, TempDirectory dir, ConformanceDatabase database, IDatabaseProvider provider)
    {
        Fixture = fixture;
        _dir = dir;
        Database = database;
        Provider = provider;
        _providers = new ProviderRegistry([provider]);
    }

    public ProviderFixture Fixture { get; }

    public ConformanceDatabase Database { get; }

    public IDatabaseProvider Provider { get; }

    public ProviderCapabilities Capabilities => Provider.Capabilities;

    public static async Task<ConformanceRun> StartAsync(string provider)
    {
        var fixture = ConformanceProviders.Get(provider);
        var dir = new TempDirectory();
        var database = await fixture.CreateDatabaseAsync(dir);
        return new ConformanceRun(fixture, dir, database, fixture.CreateProvider());
    }

    public void Migration(string name, string? parent, string upgrade, string? downgrade = null, string? message = null) =>
        _dir.Write($"migrations/{name}.sql", MigrationText.File(parent, upgrade, downgrade, message));

    public MigrateSettings Settings(HistoryTableName? history = null) => new()
    {
        Database = Database.Setting,
        MigrationsDirectory = _dir.Combine("migrations"),
        BackupDirectory = _dir.Combine("backups"),
        LogDirectory = _dir.Combine("deployment_logs"),
        HistoryTable = history?.Table ?? HistoryTableName.DefaultTable,
        HistorySchema = history?.Schema,
    };

    /// <summary>The library's commands over the provider under test.</summary>
    public MigrationCommands Commands(HistoryTableName? history = null) => new(Settings(history), _providers);

    public Task<CliOutput> CliAsync(params string[] args) => CliProcess.RunAsync(_dir.Path, Environment, args);

    public Process StartCli(params string[] args) => CliProcess.Start(_dir.Path, Environment, args);

    /// <summary>The history as the provider reads it back.</summary>
    public Task<IReadOnlyList<AppliedRevision>> HistoryAsync(HistoryTableName? history = null) =>
        ReadAsync(history, store => store.ReadAppliedAsync(CancellationToken.None));

    /// <summary>The audit log as the provider reads it back.</summary>
    public Task<IReadOnlyList<AuditEntry>> AuditAsync() => ReadAsync(null, store => store.ReadAuditAsync(CancellationToken.None));

    private async Task<T> ReadAsync<T>(HistoryTableName? history, Func<IHistoryStore, Task<T>> read)
    {
        var options = SessionOptions.Default with { History = history ?? new HistoryTableName() };
        var (_, target) = _providers.Resolve(Database.Setting);
        await using var session = await Provider.OpenSessionAsync(target, options, CancellationToken.None);
        return await read(session.History);
    }

    public async Task<bool> TableExistsAsync(string name) => (await Database.TablesAsync()).Contains(name);

    /// <summary>The user tables of the default schema: every table but the history and audit tables.</summary>
    public async Task<IReadOnlyList<string>> UserTablesAsync() =>
        [.. (await Database.TablesAsync()).Where(t => !t.StartsWith(HistoryTableName.DefaultTable, StringComparison.Ordinal))];

    private Dictionary<string, string?> Environment => new() { ["DATABASE_URL"] = Database.Setting };

    public async ValueTask DisposeAsync()
    {
        await _providers.DisposeAsync();
        await Database.DisposeAsync();
        _dir.Dispose();
    }
}
