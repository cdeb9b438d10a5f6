using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>
/// A no-op <c>upgrade</c> and <c>status</c> through the real process answer from the files' verdict and the history's digest
/// when nothing changed (docs/decisions/0033-up-to-date-answer.md), say what the full read says, and fall back to it on any
/// change to the history or the repeatable migrations. PostgreSQL computes the digest on the server; SQLite from the rows.
/// </summary>
public sealed class CliUpToDateTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id int);", "DROP TABLE a;"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id int);", "DROP TABLE b;"));
        _dir.Write("migrations/repeatable/views.sql", "-- migrate:upgrade\nCREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
        _database = await PostgresServer.Shared.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string?> Environment(string url, string cache = "cache") => new()
    {
        ["DATABASE_URL"] = url,
        ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine(cache),
    };

    private Task<CliOutput> Cli(string url, params string[] args) => CliProcess.RunAsync(_dir.Path, Environment(url), args);

    /// <summary>Upgraded once, and the cache aged as if written well after the files (see FileStatCacheTests).</summary>
    private async Task UpgradedAsync(string url)
    {
        var up = await Cli(url, "upgrade");
        Assert.True(up.ExitCode == 0, up.ToString());
        foreach (var file in Directory.GetFiles(_dir.Combine("cache", "files")))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(1));
        }
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_no_op_answered_from_the_verdict_says_what_the_full_read_says()
    {
        await UpgradedAsync(_database.Url);

        var quick = (Upgrade: await Cli(_database.Url, "upgrade"), Status: await Cli(_database.Url, "status", "--json"));
        var full = (
            Upgrade: await CliProcess.RunAsync(_dir.Path, Environment(_database.Url, "empty-cache"), "upgrade"),
            Status: await CliProcess.RunAsync(_dir.Path, Environment(_database.Url, "other-cache"), "status", "--json"));

        Assert.True(quick.Upgrade.ExitCode == 0, quick.Upgrade.ToString());
        Assert.Equal(full.Upgrade.Stdout, quick.Upgrade.Stdout);
        Assert.Contains("Nothing to do", quick.Upgrade.Stdout, StringComparison.Ordinal);
        Assert.True(quick.Status.ExitCode == 0, quick.Status.ToString());
        Assert.Equal(full.Status.Stdout, quick.Status.Stdout);
    }

    [Fact]
    public async Task The_verdict_answers_upgrade_through_the_servers_digest_and_status_through_the_rows()
    {
        await UpgradedAsync(_database.Url);

        // A verdict naming another head, its trailer made to match: only an answer taken from it can show that head.
        var verdict = Directory.GetFiles(_dir.Combine("cache", "files"), "*.verdict").Single();
        var body = File.ReadAllText(verdict).Split("sha256\t")[0].Replace("\n20250102_b\n", "\n20250102_from_the_verdict\n", StringComparison.Ordinal);
        File.WriteAllText(verdict, body + "sha256\t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))) + "\n");

        var upgrade = await Cli(_database.Url, "upgrade");
        var status = JsonDocument.Parse((await Cli(_database.Url, "status", "--json")).Stdout).RootElement;

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Contains("is at 20250102_from_the_verdict", upgrade.Stdout, StringComparison.Ordinal);
        Assert.Equal("20250102_from_the_verdict", status.GetProperty("heads")[0].GetString());
    }

    [Fact]
    public async Task A_history_changed_in_the_database_is_seen_though_no_file_changed()
    {
        await UpgradedAsync(_database.Url);

        await SqlAsync($"UPDATE probeops_schema_history SET checksum = '{new string('0', 64)}' WHERE revision = '20250101_a'");
        var edited = await Cli(_database.Url, "upgrade");
        Assert.True(edited.ExitCode == 3, edited.ToString());
        Assert.Contains("20250101_a.sql", edited.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revision_missing_from_the_history_or_a_changed_repeatable_is_applied()
    {
        await UpgradedAsync(_database.Url);
        await SqlAsync("DROP TABLE b; DELETE FROM probeops_schema_history WHERE revision = '20250102_b'");

        var reapplied = await Cli(_database.Url, "upgrade");
        Assert.True(reapplied.ExitCode == 0, reapplied.ToString());
        Assert.Contains("20250102_b", reapplied.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing to do", reapplied.Stdout, StringComparison.Ordinal);

        _dir.Write("migrations/repeatable/views.sql", "-- migrate:upgrade\nCREATE OR REPLACE VIEW v AS SELECT 2 AS one;\n");
        var repeated = await Cli(_database.Url, "upgrade");
        Assert.True(repeated.ExitCode == 0, repeated.ToString());
        Assert.Contains("views", repeated.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_sqlite_the_digest_comes_from_the_rows_and_an_edited_row_is_seen()
    {
        const string url = "sqlite:app.db";
        Directory.Delete(_dir.Combine("migrations", "repeatable"), recursive: true);
        await UpgradedAsync(url);
        var quick = await Cli(url, "upgrade");
        Assert.True(quick.ExitCode == 0 && quick.Stdout.Contains("Nothing to do", StringComparison.Ordinal), quick.ToString());

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE probeops_schema_history SET checksum = '{new string('0', 64)}' WHERE revision = '20250102_b'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var edited = await Cli(url, "upgrade");
        Assert.True(edited.ExitCode == 3, edited.ToString());
        Assert.Contains("20250102_b.sql", edited.Stderr, StringComparison.Ordinal);
    }
}
