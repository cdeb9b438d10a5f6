using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>
/// SQLite on a real file in the test's directory. A run is held mid-way by a read transaction the
/// test keeps open: the run writes its migrations (its rollback journal appears beside the file)
/// and then waits at commit for the reader to leave.
/// </summary>
public sealed class SqliteFixture : ProviderFixture
{
    public override string Name => SqliteProvider.ProviderName;

    public override IDatabaseProvider CreateProvider() => new SqliteProvider();

    public override Task<ConformanceDatabase> CreateDatabaseAsync(TempDirectory directory) =>
        Task.FromResult<ConformanceDatabase>(new Database(directory.Combine("app.db")));

    public override FailingStatement Failing { get; } = new("INSERT INTO missing_table VALUES (1);", "missing_table", ShowsPosition: false);

    public override async Task<RunBlocker> BlockRunsAsync(ConformanceDatabase database)
    {
        var db = (Database)database;
        var connection = db.Open();
        await using (var read = connection.CreateCommand())
        {
            // A deferred transaction takes its shared lock at the first read and keeps it until it ends.
            read.CommandText = "BEGIN; SELECT count(*) FROM sqlite_schema;";
            await read.ExecuteScalarAsync();
        }

        return new Blocker(db, connection);
    }

    /// <summary>The second run has opened the database file, where it waits for the first to commit.</summary>
    public override Task WaitUntilQueuedAsync(ConformanceDatabase database, Process second) =>
        Condition.WaitAsync(() => Task.FromResult(HasOpen(second, ((Database)database).Path)), "a second run opening the database");

    private static bool HasOpen(Process process, string path)
    {
        try
        {
            return Directory.EnumerateFiles($"/proc/{process.Id}/fd")
                .Any(fd => new FileInfo(fd).LinkTarget is { } target && string.Equals(target, path, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process, or one of its descriptors, went away while listed.
            return false;
        }
    }

    private sealed class Blocker(Database database, SqliteConnection connection) : RunBlocker
    {
        public override string Statement => "";

        public override Task WaitUntilBlockedAsync() =>
            Condition.WaitAsync(() => Task.FromResult(File.Exists(database.Path + "-journal")), "a run writing its journal");

        public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
    }

    private sealed class Database(string path) : ConformanceDatabase
    {
        public string Path => path;

        public override string Setting => "sqlite:" + path;

        public SqliteConnection Open()
        {
            var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            return connection;
        }

        /// <summary>SQLite has one schema, <c>main</c>: <paramref name="schema"/> is not used.</summary>
        public override async Task<IReadOnlyList<string>> TablesAsync(string? schema = null)
        {
            await using var connection = Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync();
            var names = new List<string>();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }

        public override async Task<long> CountAsync(string table)
        {
            await using var connection = Open();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
