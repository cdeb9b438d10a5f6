using Npgsql;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>What the schema and drift tests share: migrating a database, cloning one, reading a schema.</summary>
internal static class SchemaTestSupport
{
    public static ProviderRegistry Providers { get; } = new([new PostgreSqlProvider(), new SqliteProvider()]);

    public static MigrateSettings Settings(string database, string migrations, string? root = null) => new()
    {
        Database = database,
        MigrationsDirectory = migrations,
        BackupDirectory = Path.Combine(root ?? migrations, "backups"),
        LogDirectory = Path.Combine(root ?? migrations, "logs"),
    };

    /// <summary>Applies every migration of <paramref name="migrations"/> to the database.</summary>
    public static Task UpgradeAsync(string database, string migrations) =>
        new MigrationCommands(Settings(database, migrations), Providers).UpgradeAsync(new RunRequest("head"), CancellationToken.None);

    /// <summary>Reads a database's schema the way drift does.</summary>
    public static async Task<SchemaReadResult> ReadAsync(string database, bool privileges = false)
    {
        var (provider, target) = Providers.Resolve(database);
        await using var session = await provider.OpenSessionAsync(target, SessionOptions.Default, CancellationToken.None);
        return await session.SchemaReader!.ReadAsync(new SchemaReadOptions(privileges), CancellationToken.None);
    }

    /// <summary>Runs SQL on a PostgreSQL test database over a connection of its own.</summary>
    public static async Task ExecAsync(TestDatabase database, string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string adminSql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.Shared.AdminTarget.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(adminSql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>A new database copied from <paramref name="template"/> (which must have no open connections); dropped on dispose.</summary>
    public static async Task<TestDatabase> CloneAsync(TestDatabase template)
    {
        var name = "probeops_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(PostgresServer.Shared.AdminTarget.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"CREATE DATABASE {PostgreSqlSyntax.QuoteIdentifier(name)} TEMPLATE {PostgreSqlSyntax.QuoteIdentifier(template.Name)}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new TestDatabase(PostgresServer.Shared, name, PostgresServer.Shared.UrlFor(name));
    }

    /// <summary>The differences as the report prints them, one per line, for assertions and failure messages.</summary>
    public static string Lines(SchemaComparison comparison) =>
        string.Join("\n", comparison.Differences.Select(d => d.ToString()));
}
