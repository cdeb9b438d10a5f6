using System.Diagnostics;
using Npgsql;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>
/// PostgreSQL on the test cluster: a database per test. A run is held mid-way by an advisory lock
/// the test holds and a migration waits for; that wait shows in <c>pg_locks</c>.
/// </summary>
public sealed class PostgreSqlFixture : ProviderFixture
{
    /// <summary>The advisory lock key migrations wait on; advisory locks are per database, and each test has its own.</summary>
    private const long BlockKey = 770_001;

    public override string Name => PostgreSqlProvider.ProviderName;

    public override IDatabaseProvider CreateProvider() => new PostgreSqlProvider();

    public override async Task<ConformanceDatabase> CreateDatabaseAsync(TempDirectory directory) =>
        new Database(await PostgresServer.Shared.CreateDatabaseAsync());

    public override FailingStatement Failing { get; } = new("INSERT INTO b VALUES ('not a number');", "22P02", ShowsPosition: true);

    public override async Task<RunBlocker> BlockRunsAsync(ConformanceDatabase database)
    {
        var db = (Database)database;
        var connection = await PostgresServer.Shared.OpenConnectionAsync(db.Test);
        await Database.ScalarAsync<object>(connection, $"SELECT pg_advisory_lock({BlockKey})");
        return new Blocker(db, connection);
    }

    /// <summary>The second run polls the migration lock (<c>pg_try_advisory_lock</c>) while the first holds it.</summary>
    public override Task WaitUntilQueuedAsync(ConformanceDatabase database, Process second) =>
        Condition.WaitAsync(
            async () => await ((Database)database).ScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() " +
                "AND application_name = 'probeops-migrate' AND query LIKE 'SELECT pg_try_advisory_lock%')"),
            "a second run polling the migration lock");

    private sealed class Blocker(Database database, NpgsqlConnection connection) : RunBlocker
    {
        public override string Statement => $"SELECT pg_advisory_xact_lock({BlockKey});";

        public override Task WaitUntilBlockedAsync() =>
            Condition.WaitAsync(
                () => database.ScalarAsync<bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database " +
                    $"WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.objid = {BlockKey} AND NOT l.granted)"),
                "a run waiting in a migration");

        public override async ValueTask DisposeAsync() => await connection.DisposeAsync();
    }

    private sealed class Database(TestDatabase test) : ConformanceDatabase
    {
        public TestDatabase Test => test;

        public override string Setting => test.Url;

        public override async Task<IReadOnlyList<string>> TablesAsync(string? schema = null)
        {
            await using var connection = await PostgresServer.Shared.OpenConnectionAsync(test);
            await using var command = new NpgsqlCommand(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name COLLATE \"C\"", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = schema ?? "public" });
            await using var reader = await command.ExecuteReaderAsync();
            var names = new List<string>();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }

        public override Task<long> CountAsync(string table) => ScalarAsync<long>($"SELECT count(*) FROM {PostgreSqlSyntax.QuoteIdentifier(table)}");

        public async Task<T> ScalarAsync<T>(string sql)
        {
            await using var connection = await PostgresServer.Shared.OpenConnectionAsync(test);
            return await ScalarAsync<T>(connection, sql);
        }

        public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (T)(await command.ExecuteScalarAsync())!;
        }

        public override ValueTask DisposeAsync() => test.DisposeAsync();
    }
}
