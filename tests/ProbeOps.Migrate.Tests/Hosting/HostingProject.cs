using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Hosting;

/// <summary>A SQLite file and two revisions, with the start-up service and the health check of a migrator on them.</summary>
public sealed class HostingProject : IAsyncDisposable
{
    public const string First = "20250101_create_probes";
    public const string Second = "20250102_add_probe_target";

    public HostingProject()
    {
        Dir.Write($"migrations/{First}.sql", MigrationText.File(null, "CREATE TABLE probes (id integer PRIMARY KEY);"));
        Dir.Write($"migrations/{Second}.sql", MigrationText.File(First, "ALTER TABLE probes ADD COLUMN target text;"));
        Migrator = Migrator.Create(o => o.UseSqlite(DatabasePath).FromDirectory(Dir.Combine("migrations")));
    }

    public TempDirectory Dir { get; } = new();

    public string DatabasePath => Dir.Combine("app.db");

    public Migrator Migrator { get; }

    public Task StartAsync(StartupPolicy policy) =>
        new MigrationStartupService(Migrator, policy, NullLogger<MigrationStartupService>.Instance).StartingAsync(CancellationToken.None);

    public Task<HealthCheckResult> HealthAsync() => HealthAsync(Migrator);

    public static Task<HealthCheckResult> HealthAsync(Migrator migrator)
    {
        var check = new MigrationHealthCheck(migrator);
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration(ProbeOpsMigrateHealthChecks.DefaultName, check, HealthStatus.Unhealthy, null),
        };
        return check.CheckHealthAsync(context);
    }

    /// <summary>Runs SQL on the database behind the tool's back.</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await Migrator.DisposeAsync();
        Dir.Dispose();
    }
}
