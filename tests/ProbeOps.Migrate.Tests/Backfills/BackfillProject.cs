using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Backfills;

/// <summary>
/// A project of three revisions on a PostgreSQL database of its own: a base that creates and fills <c>items</c>
/// (and a table recording every run of an upgrade section), a revision whose backfill fills a new column in
/// batches, and a child that makes that column NOT NULL, which fails while any row is left.
/// </summary>
public sealed class BackfillProject : IAsyncDisposable
{
    public const string Base = "20250101_items";
    public const string Backfill = "20250102_mark_failures";
    public const string Child = "20250103_require_failures";

    private BackfillProject(TestDatabase database, int rows)
    {
        Database = database;
        Rows = rows;
    }

    public TempDirectory Dir { get; } = new();

    public TestDatabase Database { get; }

    public int Rows { get; }

    public Dictionary<string, string?> Environment => new() { ["DATABASE_URL"] = Database.Url };

    /// <summary>
    /// The three revisions; the backfill changes <paramref name="batch"/> rows per run. With
    /// <paramref name="refuseId"/>, a trigger makes any update of that row fail (until <see cref="AllowAllAsync"/>).
    /// </summary>
    public static async Task<BackfillProject> CreateAsync(int rows, int batch, string options = "", int? refuseId = null)
    {
        var project = new BackfillProject(await PostgresServer.Shared.CreateDatabaseAsync(), rows);
        project.Write(Base, null, string.Create(
            CultureInfo.InvariantCulture,
            $"""
            CREATE TABLE upgrade_runs (revision text NOT NULL);
            CREATE TABLE items (id bigint PRIMARY KEY, status text NOT NULL, touched int NOT NULL DEFAULT 0);
            INSERT INTO items (id, status) SELECT g, CASE WHEN g % 3 = 0 THEN 'down' ELSE 'up' END FROM generate_series(1, {rows}) g;
            CREATE FUNCTION refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'item % is refused', NEW.id; END $$;
            CREATE TRIGGER refuse_item BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.id = {refuseId ?? -1}) EXECUTE FUNCTION refuse_item();
            """));
        project.Dir.Write($"migrations/{Backfill}.sql", BackfillFile(batch, options));
        project.Write(Child, Backfill, "-- lint:ignore PL121 the test needs a plain SET NOT NULL that fails while a row is left\nALTER TABLE items ALTER COLUMN is_failure SET NOT NULL;", "ALTER TABLE items ALTER COLUMN is_failure DROP NOT NULL;");
        return project;
    }

    /// <summary>The backfill revision: its statement is on line 8.</summary>
    public static string BackfillFile(int batch, string options = "") => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        -- down_revision: {Base}

        -- migrate:upgrade
        ALTER TABLE items ADD COLUMN is_failure boolean;
        INSERT INTO upgrade_runs VALUES ('{Backfill}');

        -- migrate:backfill {options}
        UPDATE items SET is_failure = (status <> 'up')
        WHERE id IN (SELECT id FROM items WHERE is_failure IS NULL ORDER BY id LIMIT {batch});

        -- migrate:downgrade
        ALTER TABLE items DROP COLUMN is_failure;

        """);

    public void Write(string name, string? parent, string upgrade, string? downgrade = null) =>
        Dir.Write($"migrations/{name}.sql", MigrationText.File(parent, upgrade, downgrade));

    public Task<CliOutput> RunAsync(params string[] args) => CliProcess.RunAsync(Dir.Path, Environment, args);

    public Process Start(params string[] args) => CliProcess.Start(Dir.Path, Environment, args);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(Database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    /// <summary>Rows the backfill has committed so far (0 while the column does not exist).</summary>
    public async Task<long> DoneAsync() =>
        await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('items') AND attname = 'is_failure')")
            ? await ScalarAsync<long>("SELECT count(*) FROM items WHERE is_failure IS NOT NULL")
            : 0;

    /// <summary>How many times the backfill revision's upgrade section has run and committed.</summary>
    public Task<long> UpgradeRunsAsync() => ScalarAsync<long>($"SELECT count(*) FROM upgrade_runs WHERE revision = '{Backfill}'");

    public async Task<string[]> HistoryAsync() =>
        (await ScalarAsync<string>("SELECT string_agg(revision, ',' ORDER BY revision) FROM probeops_schema_history"))?.Split(',') ?? [];

    /// <summary>Waits until the backfill has committed at least one run, while <paramref name="process"/> still runs.</summary>
    public Task WaitForCommittedRowsAsync(Process process) =>
        WaitUntilAsync(process, async () => await DoneAsync() > 0, "the backfill committed a row");

    /// <summary>Waits until <paramref name="condition"/> holds; fails if <paramref name="process"/> exits first or two minutes (a guard only) pass.</summary>
    public async Task WaitUntilAsync(Process process, Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(process.HasExited, $"the tool exited before: {what}");
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"not true within 2 minutes: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Removes the trigger that refuses a row: the fix a failed backfill waits for.</summary>
    public Task AllowAllAsync() => ScalarAsync<object>("DROP TRIGGER refuse_item ON items");

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Dir.Dispose();
    }
}
