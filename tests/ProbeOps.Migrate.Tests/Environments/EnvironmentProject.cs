using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>
/// A project whose config file names three environments: <c>development</c> (a SQLite file), <c>staging</c>
/// and <c>production</c> (protected), each a PostgreSQL database of its own whose password reaches the
/// config only as <c>${STAGING_DB_PASSWORD}</c> and <c>${PROD_DB_PASSWORD}</c>. The tool runs as a process
/// with no DATABASE_URL; every output is kept, so a test can prove the password never leaked.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class EnvironmentProject : IAsyncDisposable
{
    public const string First = "20250101_accounts";
    public const string Second = "20250102_orders";

    private readonly List<string> _outputs = [];

    private EnvironmentProject(TestDatabase staging, TestDatabase production)
    {
        Staging = staging;
        Production = production;
        var builder = new NpgsqlConnectionStringBuilder(staging.Target.ConnectionString);
        User = builder.Username!;
        Password = builder.Password!;
    }

    public TempDirectory Dir { get; } = new();

    public TestDatabase Staging { get; }

    public TestDatabase Production { get; }

    public string User { get; }

    /// <summary>The password of both PostgreSQL databases: given to the tool only through environment variables.</summary>
    public string Password { get; }

    public string DevelopmentFile => Dir.Combine("dev.db");

    public string BackupsDirectory => Dir.Combine("backups");

    public string LogsDirectory => Dir.Combine("deployment_logs");

    /// <summary>The variables the config file refers to, as a deploy job would set them.</summary>
    public Dictionary<string, string?> Secrets => new() { ["STAGING_DB_PASSWORD"] = Password, ["PROD_DB_PASSWORD"] = Password };

    public static async Task<EnvironmentProject> CreateAsync()
    {
        var project = new EnvironmentProject(await PostgresServer.Shared.CreateDatabaseAsync(), await PostgresServer.Shared.CreateDatabaseAsync());
        project.WriteMigration($"{First}.sql", MigrationText.File(null, "CREATE TABLE accounts (id int PRIMARY KEY);", "DROP TABLE accounts;"));
        project.WriteConfig();
        return project;
    }

    public void WriteMigration(string name, string text) => Dir.Write("migrations/" + name, text);

    /// <summary>The second migration, which adds a table: a deploy has something to do.</summary>
    public void AddSecondMigration() =>
        WriteMigration($"{Second}.sql", MigrationText.File(First, "CREATE TABLE orders (id int PRIMARY KEY);", "DROP TABLE orders;"));

    /// <summary>Writes the config file; <paramref name="change"/> edits it first.</summary>
    public void WriteConfig(Action<JsonObject>? change = null)
    {
        var config = new JsonObject
        {
            ["migrations"] = "migrations",
            ["database"] = "sqlite:top.db",
            ["environments"] = new JsonObject
            {
                ["development"] = new JsonObject { ["database"] = "sqlite:dev.db" },
                ["staging"] = new JsonObject { ["database"] = PostgresServer.Shared.UrlFor(Staging.Name, User, "${STAGING_DB_PASSWORD}") },
                ["production"] = new JsonObject
                {
                    ["database"] = PostgresServer.Shared.UrlFor(Production.Name, User, "${PROD_DB_PASSWORD}"),
                    ["protected"] = true,
                    ["pgBinDir"] = PostgresServer.Shared.BinDirectory,
                },
            },
        };
        change?.Invoke(config);
        Dir.Write("probeops-migrate.json", config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Runs the tool with the secrets set, and <paramref name="environment"/> on top.</summary>
    public async Task<CliOutput> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var merged = Secrets;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var output = await CliProcess.RunAsync(Dir.Path, merged, args);
        _outputs.Add(output.All);
        return output;
    }

    public Task<CliOutput> RunAsync(params string[] args) => RunAsync(null, args);

    public async Task<string?> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? value.ToString() : null;
    }

    public async Task ExecAsync(TestDatabase database, string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Tables, history and audit of a PostgreSQL database in one string, to show that a refusal changed nothing.</summary>
    public Task<string?> StateAsync(TestDatabase database) => ScalarAsync(
        database,
        "SELECT (SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public') || ' | ' || " +
        "(SELECT coalesce(string_agg(revision, ',' ORDER BY revision), '') FROM probeops_schema_history) || ' | ' || " +
        "(SELECT count(*) FROM probeops_schema_history_audit)");

    /// <summary>One value from the development database.</summary>
    public async Task<string?> SqliteScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DevelopmentFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public string[] Backups() => Directory.Exists(BackupsDirectory) ? Directory.GetFiles(BackupsDirectory, "*.dump") : [];

    /// <summary>Fails when the password shows in any output of this project or in any file it left behind but the databases.</summary>
    public void AssertNoPasswordLeaked()
    {
        Assert.True(Password.Length >= 8, "the test server's password is too short to search for");
        foreach (var output in _outputs)
        {
            Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(Dir.Path, "*", SearchOption.AllDirectories))
        {
            if (!file.EndsWith(".db", StringComparison.Ordinal) && !file.EndsWith(".dump", StringComparison.Ordinal))
            {
                Assert.False(File.ReadAllText(file).Contains(Password, StringComparison.Ordinal), $"the password is in {file}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Dir.Dispose();
        await Staging.DisposeAsync();
        await Production.DisposeAsync();
    }
}
