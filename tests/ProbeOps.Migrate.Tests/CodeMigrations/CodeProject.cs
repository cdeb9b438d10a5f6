using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.CodeMigrations;

/// <summary>A migrations directory and a real database, on one engine, run through the library.</summary>
public abstract class CodeProject : IAsyncDisposable
{
    public TempDirectory Dir { get; } = new();

    public abstract string DatabaseUrl { get; }

    public MigrationCommands Commands(Code.CodeMigrations code) => new(
        new MigrateSettings
        {
            Database = DatabaseUrl,
            MigrationsDirectory = Dir.Combine("migrations"),
            BackupDirectory = Dir.Combine("backups"),
            LogDirectory = Dir.Combine("deployment_logs"),
            CodeMigrations = code,
        },
        new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]));

    public async Task<long> CountAsync(string sql) =>
        Convert.ToInt64(await ScalarAsync(sql), CultureInfo.InvariantCulture);

    public async Task<string?> TextAsync(string sql) => await ScalarAsync(sql) is { } value and not DBNull ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public abstract Task<bool> TableExistsAsync(string table);

    public abstract Task<bool> ColumnExistsAsync(string table, string column);

    protected abstract Task<object?> ScalarAsync(string sql);

    public virtual ValueTask DisposeAsync()
    {
        Dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteCodeProject : CodeProject
{
    public override string DatabaseUrl => "sqlite:" + Dir.Combine("app.db");

    public override async Task<bool> TableExistsAsync(string table) =>
        await CountAsync($"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'") > 0;

    public override async Task<bool> ColumnExistsAsync(string table, string column) =>
        await CountAsync($"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = '{column}'") > 0;

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}

public sealed class PostgreSqlCodeProject(TestDatabase database) : CodeProject
{
    public override string DatabaseUrl => database.Url;

    public static async Task<PostgreSqlCodeProject> CreateAsync() => new(await PostgresServer.Shared.CreateDatabaseAsync());

    public override async Task<bool> TableExistsAsync(string table) =>
        await CountAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'") > 0;

    public override async Task<bool> ColumnExistsAsync(string table, string column) =>
        await CountAsync($"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}' AND column_name = '{column}'") > 0;

    protected override async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        await base.DisposeAsync();
    }
}
