using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Backfills;

/// <summary>Backfills on a real SQLite file through the real process: rows counted by <c>changes()</c>, a failed run resumed.</summary>
public sealed class SqliteBackfillTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<CliOutput> Cli(params string[] args) =>
        CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" }, args);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_failed_backfill_keeps_its_committed_runs_and_the_next_upgrade_finishes_it_without_the_upgrade_section()
    {
        _dir.Write("migrations/20250101_items.sql", MigrationText.File(null, """
            CREATE TABLE upgrade_runs (revision TEXT NOT NULL);
            CREATE TABLE items (id INTEGER PRIMARY KEY, status TEXT NOT NULL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO items SELECT i, CASE WHEN i % 3 = 0 THEN 'down' ELSE 'up' END FROM n;
            CREATE TRIGGER refuse_item BEFORE UPDATE ON items WHEN NEW.id = 501 BEGIN SELECT RAISE(ABORT, 'item 501 is refused'); END;
            """));
        _dir.Write("migrations/20250102_mark.sql", """
            -- down_revision: 20250101_items

            -- migrate:upgrade
            ALTER TABLE items ADD COLUMN is_failure INTEGER;
            INSERT INTO upgrade_runs VALUES ('20250102_mark');

            -- migrate:backfill pause:1ms
            UPDATE items SET is_failure = (status <> 'up')
            WHERE rowid IN (SELECT rowid FROM items WHERE is_failure IS NULL ORDER BY rowid LIMIT 100);
            """);

        var failed = await Cli("upgrade");

        Assert.Equal(8, failed.ExitCode);
        Assert.Contains("20250102_mark.sql:8 (statement 1 of 1): item 501 is refused", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("the 500 rows changed by its 5 earlier runs stay committed", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal(500, await ScalarAsync("SELECT count(*) FROM items WHERE is_failure IS NOT NULL"));
        var status = await Cli("status", "--json");
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            Assert.Equal("20250102_mark", Assert.Single(json.RootElement.GetProperty("backfilling").EnumerateArray()).GetProperty("revision").GetString());
        }

        await ScalarAsync("DROP TRIGGER refuse_item");
        var rerun = await Cli("upgrade", "--json");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        using var result = JsonDocument.Parse(rerun.Stdout);
        Assert.Empty(result.RootElement.GetProperty("steps").EnumerateArray());
        var backfill = Assert.Single(result.RootElement.GetProperty("backfills").EnumerateArray());
        Assert.Equal(1500, backfill.GetProperty("rows").GetInt64());
        Assert.Equal(16, backfill.GetProperty("runs").GetInt64());
        Assert.True(backfill.GetProperty("resumed").GetBoolean());
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM items WHERE is_failure IS NULL"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM upgrade_runs"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM probeops_schema_history WHERE backfill_statement IS NOT NULL"));
    }
}
