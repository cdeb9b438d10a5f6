using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy.Stages;

/// <summary>
/// A project directory with migrations and a real database (a SQLite file unless another setting is
/// given), and a deploy state over it, so one stage can be run on its own after the ones it needs.
/// </summary>
public sealed class StageProject : IDisposable
{
    public const string First = "20250101_a";
    public const string Second = "20250102_b";

    public TempDirectory Dir { get; } = new();

    public string DatabasePath => Dir.Combine("app.db");

    public string? Database { get; set; }

    public string? PgBinDirectory { get; set; }

    public MigrateSettings Settings => new()
    {
        Database = Database ?? "sqlite:" + DatabasePath,
        MigrationsDirectory = Dir.Combine("migrations"),
        BackupDirectory = Dir.Combine("backups"),
        LogDirectory = Dir.Combine("deployment_logs"),
        WaitForLock = TimeSpan.Zero,
        PgBinDirectory = PgBinDirectory,
    };

    public ProviderRegistry Providers { get; } = new([new PostgreSqlProvider(), new SqliteProvider()]);

    public void Dispose()
    {
        // The registry owns the providers' data sources; no session is open by now.
        Providers.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Dir.Dispose();
    }

    public void Migration(string name, string? parent, string upgrade) =>
        Dir.Write($"migrations/{name}.sql", MigrationText.File(parent, upgrade));

    /// <summary>Two migrations: tables a, then b.</summary>
    public StageProject WithTwoMigrations()
    {
        Migration(First, null, "CREATE TABLE a (id INTEGER);");
        Migration(Second, First, "CREATE TABLE b (id INTEGER);");
        return this;
    }

    /// <summary>A fresh deploy state over this project; nothing has run yet.</summary>
    public DeployState State(DeployRequest? request = null, bool preflight = false) =>
        new(Settings, request ?? new DeployRequest(), preflight, "20250101000000-abcdef", DateTimeOffset.UtcNow, NullDeployObserver.Instance)
        {
            Context = MigrationContext.Create(Settings, Providers),
        };

    /// <summary>Runs <paramref name="stages"/> in order, as the pipeline does.</summary>
    public static async Task<DeployState> ThroughAsync(DeployState state, params IDeployStage[] stages)
    {
        foreach (var stage in stages)
        {
            await DeployPipeline.RunStageAsync(stage, state, CancellationToken.None);
        }

        return state;
    }

    /// <summary>The stages up to and including inspect (preflight takes no lock, a deploy does).</summary>
    public static IDeployStage[] UpToInspect(bool locked = true) => locked
        ? [new ValidateStage(), new ConnectStage(), new VersionsStage(), new LockStage(), new InspectStage()]
        : [new ValidateStage(), new ConnectStage(), new VersionsStage(), new InspectStage()];

    public async Task ExecAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        }

        return values;
    }

    public Task<List<string>> TablesAsync() =>
        ColumnAsync("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
}
