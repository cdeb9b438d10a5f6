using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Drift;

/// <summary>
/// A history valid only a transaction per migration (an enum value added by one revision and used by the
/// next: SQLSTATE 55P04 in one transaction) is replayed as it could be deployed, so drift and later deploys
/// do not fail on it. Through the real process, on a real PostgreSQL server.
/// </summary>
public sealed class ShadowReplayTransactionTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _dir.Write("migrations/20250101_mood.sql", MigrationText.File("none", "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE feelings (id int PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok');"));
        _dir.Write("migrations/20250102_great.sql", MigrationText.File("20250101_mood", "ALTER TYPE mood ADD VALUE 'great';"));
        _dir.Write("migrations/20250103_default_great.sql", MigrationText.File("20250102_great", "ALTER TABLE feelings ALTER COLUMN mood SET DEFAULT 'great';"));
        _database = await PostgresServer.Shared.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dir.Dispose();
    }

    private Task<CliOutput> Cli(params string[] args) => CliProcess.RunAsync(
        _dir.Path,
        new Dictionary<string, string?> { ["DATABASE_URL"] = _database.Url, ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache") },
        args);

    [Fact]
    public async Task An_enum_value_added_and_used_later_deploys_per_migration_and_later_drift_and_deploy_pass()
    {
        var single = await Cli("upgrade");
        Assert.True(single.ExitCode == 8, single.ToString());
        Assert.Contains("55P04", single.All, StringComparison.Ordinal);

        var perMigration = await Cli("deploy", "--no-backup", "--transaction", "per-migration");
        var again = await Cli("deploy", "--no-backup", "--json");
        var drift = await Cli("drift", "--method", "replay", "--no-cache");

        Assert.True(perMigration.ExitCode == 0, perMigration.ToString());
        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains("Check: shadow replay", drift.Stdout, StringComparison.Ordinal);
        Assert.Contains("a transaction per migration", drift.All, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("\"driftCheck\": \"shadow-replay\"", again.Stdout, StringComparison.Ordinal);
    }
}
