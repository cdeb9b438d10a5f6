using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Drift;

/// <summary>
/// A replay that outgrows the server's lock table: a server of its own with the smallest
/// <c>max_locks_per_transaction</c> (10 × 20 connections: a few hundred locks in all), holding the database
/// checked and its shadow databases. Through the real process.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ShadowReplayLockTableTests : IAsyncLifetime
{
    /// <summary>Four locks a table: the table, its TOAST table and index, its primary key's index.</summary>
    private const int TablesPerMigration = 10;

    private readonly TempDirectory _dir = new();
    private Pg18Cluster _small = null!;

    public async Task InitializeAsync()
    {
        var bin = PostgresServer.Shared.BinDirectory ?? "";
        Assert.False(string.IsNullOrWhiteSpace(bin), "PROBEOPS_TEST_PG_BIN is not set: run scripts/test.sh");
        _small = await Pg18Cluster.StartAsync(
            bin, "max_locks_per_transaction=10", "max_connections=20", "max_worker_processes=0", "max_wal_senders=0", "autovacuum_max_workers=1");
        await using var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={_small.Port};Username=postgres;Database=postgres;Pooling=false");
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand("CREATE DATABASE app", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _small.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Migrations_beyond_the_lock_table_replay_in_several_transactions_and_say_which_setting_would_allow_one()
    {
        // 12 migrations of 10 tables: about 480 locks in one transaction, beyond what this server holds.
        WriteChain(migrations: 12);
        var upgrade = await Cli("upgrade", "--transaction", "per-migration");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());

        var drift = await Cli("drift", "--method", "replay", "--no-cache");

        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains("No drift", drift.Stdout, StringComparison.Ordinal);
        Assert.Contains("were replayed in 6 transactions", drift.All, StringComparison.Ordinal);
        Assert.Contains("max_locks_per_transaction 10 × (max_connections 20 + max_prepared_transactions 0) = 200", drift.All, StringComparison.Ordinal);
        Assert.Contains("set max_locks_per_transaction to at least 49", drift.All, StringComparison.Ordinal);
        // Cut before the server refused: no transaction ran out of shared memory.
        Assert.DoesNotContain("out of shared memory", drift.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_migration_beyond_the_lock_table_stops_with_exit_8_naming_the_setting_and_the_value_needed()
    {
        // One migration of 120 tables: it cannot be cut, and needs about 480 locks. This server cannot apply it
        // either, so the database is stamped at it.
        _dir.Write("migrations/20250101_many.sql", MigrationText.File("none", Tables(1, 120)));
        var stamp = await Cli("stamp", "head");
        Assert.True(stamp.ExitCode == 0, stamp.ToString());

        var drift = await Cli("drift", "--method", "replay", "--no-cache");

        Assert.True(drift.ExitCode == 8, drift.ToString());
        Assert.Contains("out of shared memory", drift.Stderr, StringComparison.Ordinal);
        Assert.Contains("max_locks_per_transaction 10 × (max_connections 20 + max_prepared_transactions 0) = 200", drift.Stderr, StringComparison.Ordinal);
        Assert.Contains("set max_locks_per_transaction to at least 49 and restart the server", drift.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed in the database checked.", drift.Stderr, StringComparison.Ordinal);
        Assert.False(drift.All.Contains("could not be", StringComparison.Ordinal), drift.ToString());
    }

    private Task<CliOutput> Cli(params string[] args) => CliProcess.RunAsync(
        _dir.Path,
        new Dictionary<string, string?> { ["DATABASE_URL"] = _small.Url("app"), ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache") },
        args);

    private void WriteChain(int migrations)
    {
        string? previous = null;
        for (var i = 1; i <= migrations; i++)
        {
            var name = $"202501{i:D2}_tables_{i:D2}";
            _dir.Write($"migrations/{name}.sql", MigrationText.File(previous, Tables((i - 1) * TablesPerMigration + 1, TablesPerMigration)));
            previous = name;
        }
    }

    private static string Tables(int first, int count) =>
        string.Join("\n", Enumerable.Range(first, count).Select(n => $"CREATE TABLE t{n:D3} (id bigint PRIMARY KEY, name text);"));
}
