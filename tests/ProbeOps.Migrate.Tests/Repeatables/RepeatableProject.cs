using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;

namespace ProbeOps.Migrate.Tests.Repeatables;

/// <summary>A migrations directory and one database, PostgreSQL (the test cluster) or a SQLite file, run through the CLI process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepeatableProject : IAsyncDisposable
{
    private readonly DeployProject? _postgres;
    private readonly TempDirectory? _sqliteDir;

    private RepeatableProject(DeployProject? postgres, TempDirectory? sqliteDir)
    {
        _postgres = postgres;
        _sqliteDir = sqliteDir;
    }

    public static async Task<RepeatableProject> CreateAsync(string engine) => engine == "postgresql"
        ? new RepeatableProject(await DeployProject.CreateAsync(migrations: 0), null)
        : new RepeatableProject(null, new TempDirectory());

    public bool IsPostgreSql => _postgres is not null;

    public TempDirectory Dir => _postgres?.Dir ?? _sqliteDir!;

    public string DatabaseUrl => _postgres?.Database.Url ?? "sqlite:" + Dir.Combine("app.db");

    public void Revision(string name, string? parent, string upgrade) => Dir.Write("migrations/" + name + ".sql", MigrationText.File(parent, upgrade));

    public void Repeatable(string name, string upgrade, string header = "") =>
        Dir.Write($"migrations/repeatable/{name}.sql", $"{header}-- migrate:upgrade\n{upgrade}\n");

    public Task<CliOutput> RunAsync(params string[] args) =>
        CliProcess.RunAsync(Dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = DatabaseUrl }, args);

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<object?> ScalarAsync(string sql)
    {
        if (_postgres is not null)
        {
            return await _postgres.ScalarAsync<object>(sql);
        }

        await using var connection = new SqliteConnection($"Data Source={Dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async Task<bool> TableExistsAsync(string name) => await CountAsync(IsPostgreSql
        ? $"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{name}'"
        : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{name}'") > 0;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _sqliteDir?.Dispose();
    }
}
