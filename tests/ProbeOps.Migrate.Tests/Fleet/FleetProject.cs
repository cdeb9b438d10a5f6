using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using Npgsql;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Fleet;

/// <summary>
/// A project directory with migrations and a fleet of real PostgreSQL databases on the test cluster, driven
/// through the command-line tool. The targets file names each database with <c>${FLEET_PASSWORD}</c>, which
/// the tool reads from its environment: every output kept can be searched for the password.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class FleetProject : IAsyncDisposable
{
    public const string PasswordVariable = "FLEET_PASSWORD";

    private readonly List<TestDatabase> _databases = [];
    private readonly List<string> _outputs = [];

    public TempDirectory Dir { get; } = new();

    public IReadOnlyList<TestDatabase> Databases => _databases;

    public static string Password => new NpgsqlConnectionStringBuilder(PostgresServer.Shared.AdminTarget.ConnectionString).Password!;

    private static string User => new NpgsqlConnectionStringBuilder(PostgresServer.Shared.AdminTarget.ConnectionString).Username!;

    /// <summary>One migration: <c>accounts</c>, created in the search_path's first schema.</summary>
    public static readonly string BaseMigration = MigrationText.File(null, "CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL);", "DROP TABLE accounts;");

    public static async Task<FleetProject> CreateAsync(int databases, string suffixOfLast = "")
    {
        var project = new FleetProject();
        for (var i = 0; i < databases; i++)
        {
            var name = "probeops_f_" + Guid.NewGuid().ToString("N")[..12] + (i == databases - 1 ? suffixOfLast : "");
            project._databases.Add(await PostgresServer.Shared.CreateDatabaseNamedAsync(name));
        }

        project.WriteMigration("20250101_accounts.sql", BaseMigration);
        return project;
    }

    /// <summary>Adds a database named <paramref name="name"/> (unique to the test) to the fleet's databases.</summary>
    public async Task<TestDatabase> AddDatabaseAsync(string name)
    {
        var database = await PostgresServer.Shared.CreateDatabaseNamedAsync(name);
        _databases.Add(database);
        return database;
    }

    public void WriteMigration(string name, string text) => Dir.Write("migrations/" + name, text);

    /// <summary>The URL of a database as a targets file holds it: the password is <c>${FLEET_PASSWORD}</c>.</summary>
    public static string UrlOf(string database) => PostgresServer.Shared.UrlFor(database, User, "${" + PasswordVariable + "}");

    /// <summary>Writes <c>targets.json</c>: the settings, then <paramref name="targets"/> as JSON objects.</summary>
    public string WriteTargets(string settings, params object[] targets)
    {
        var items = string.Join(",\n    ", targets.Select(t => JsonSerializer.Serialize(t, FleetJson.Options)));
        return Dir.Write("targets.json", $"{{ {settings}{(settings.Length == 0 ? "" : ",")}\n  \"targets\": [\n    {items}\n  ] }}");
    }

    public Task<CliOutput> RunAsync(params string[] args) => RunWithAsync(new Dictionary<string, string?> { [PasswordVariable] = Password }, args);

    public async Task<CliOutput> RunWithAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var output = await CliProcess.RunAsync(Dir.Path, environment, [.. args, .. PgBin(args)]);
        _outputs.Add(output.All);
        return output;
    }

    /// <summary>Starts the tool without waiting, for a test that signals it.</summary>
    public Process Start(params string[] args) =>
        CliProcess.Start(Dir.Path, new Dictionary<string, string?> { [PasswordVariable] = Password }, [.. args, .. PgBin(args)]);

    public void Keep(string output) => _outputs.Add(output);

    /// <summary>Every output of the tool and every file it wrote in the project: what must never hold the password.</summary>
    public IEnumerable<string> EverythingWritten() =>
        _outputs.Concat(Directory.EnumerateFiles(Dir.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".dump", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    /// <summary>The fleet's own report (<c>_fleet-*.json</c>) in the log directory.</summary>
    public JsonElement FleetReport()
    {
        var file = Assert.Single(Directory.GetFiles(Dir.Combine("deployment_logs"), "*_fleet-*.json"));
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
    }

    public static async Task<T?> ScalarAsync<T>(TestDatabase database, string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task ExecAsync(TestDatabase database, string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<bool> HasTableAsync(TestDatabase database, string qualifiedName) =>
        ScalarAsync<bool>(database, $"SELECT to_regclass('{qualifiedName}') IS NOT NULL");

    /// <summary>The cluster's client programs, for the commands that take a backup or check its version.</summary>
    private static string[] PgBin(string[] args) =>
        PostgresServer.Shared.BinDirectory is { } bin && args[0] is "deploy" or "preflight" ? ["--pg-bin-dir", bin] : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        Dir.Dispose();
    }
}

/// <summary>How the tests write targets: camelCase keys, nulls left out.</summary>
internal static class FleetJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
