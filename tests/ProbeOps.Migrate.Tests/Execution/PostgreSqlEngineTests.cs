using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary>
/// The apply engine on a real PostgreSQL server, through the real command-line process: atomicity,
/// crashes mid-run, concurrent runs, statements that need care.
/// </summary>
public sealed class PostgreSqlEngineTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.Shared.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string?> Environment => new() { ["DATABASE_URL"] = _database.Url };

    private Task<CliOutput> Cli(params string[] args) => CliProcess.RunAsync(_dir.Path, Environment, args);

    private void Migration(string name, string? parent, string upgrade, string? downgrade = null, bool transactional = true) =>
        _dir.Write($"migrations/{name}.sql", MigrationText.File(parent, upgrade, downgrade, transactional: transactional));

    private async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    private Task<bool> TableExistsAsync(string name) => ScalarAsync<bool>($"SELECT to_regclass('public.{name}') IS NOT NULL");

    private async Task<long> HistoryCountAsync() =>
        await TableExistsAsync("probeops_schema_history") ? await ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history") : 0;

    private void ThreeMigrations(string second)
    {
        Migration("20250101_a", null, "CREATE TABLE a (id int);", "DROP TABLE a;");
        Migration("20250102_b", "20250101_a", second, "DROP TABLE b;");
        Migration("20250103_c", "20250102_b", "CREATE TABLE c (id int);", "DROP TABLE c;");
    }

    [Fact]
    public async Task Functions_with_dollar_quoted_bodies_containing_semicolons_apply()
    {
        Migration("20250101_functions", null, """
            CREATE TABLE counters (name text PRIMARY KEY, n int NOT NULL DEFAULT 0);
            CREATE FUNCTION bump(counter text) RETURNS int LANGUAGE plpgsql AS $$
            DECLARE result int;
            BEGIN
                INSERT INTO counters (name, n) VALUES (counter, 1)
                ON CONFLICT (name) DO UPDATE SET n = counters.n + 1
                RETURNING n INTO result;
                RETURN result;
            END;
            $$;
            CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
                SELECT x * 2;
            END;
            SELECT bump('a'); SELECT bump('a');
            """);

        var output = await Cli("upgrade");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(2, await ScalarAsync<int>("SELECT n FROM counters WHERE name = 'a'"));
        Assert.Equal(8, await ScalarAsync<int>("SELECT twice(4)"));
    }

    [Fact]
    public async Task Create_index_concurrently_runs_in_a_non_transactional_section()
    {
        Migration("20250101_table", null, "CREATE TABLE items (id int, name text);\nINSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 1000) g;");
        Migration("20250102_index", "20250101_table", "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_items_name ON items (name);", transactional: false);
        Migration("20250103_more", "20250102_index", "ALTER TABLE items ADD COLUMN extra text;");

        var output = await Cli("upgrade");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.True(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_name'::regclass"));
        Assert.Equal(3, await HistoryCountAsync());
    }

    [Fact]
    public async Task Terminating_the_migrating_backend_leaves_nothing_half_applied_and_a_rerun_completes()
    {
        // The migration waits on an advisory lock this test holds: it stays mid-run until the test acts.
        ThreeMigrations($"CREATE TABLE b (id int);\nSELECT pg_advisory_lock({HoldKey});");
        await using var hold = await HoldAsync();

        using var process = CliProcess.Start(_dir.Path, Environment, "upgrade", "--lock-timeout", "0");
        var pid = await WaitForBackendAsync("pg_advisory_lock");
        await ScalarAsync<bool>($"SELECT pg_terminate_backend({pid})");
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(await TableExistsAsync("a"));
        Assert.Equal(0, await HistoryCountAsync());

        ThreeMigrations("CREATE TABLE b (id int);");
        var rerun = await Cli("upgrade");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(3, await HistoryCountAsync());
    }

    [Fact]
    public async Task Eight_concurrent_upgrades_apply_every_migration_exactly_once()
    {
        Migration("20250101_log", null, "CREATE TABLE applied_log (revision text NOT NULL);\nINSERT INTO applied_log VALUES ('a');");
        for (var i = 2; i <= 6; i++)
        {
            Migration($"2025010{i}_step", i == 2 ? "20250101_log" : $"2025010{i - 1}_step", $"INSERT INTO applied_log VALUES ('{i}');\nSELECT pg_sleep(0.05);");
        }

        var runs = Enumerable.Range(0, 8).Select(_ => Cli("upgrade", "--wait-for-lock", "120s")).ToList();
        var outputs = await Task.WhenAll(runs);

        Assert.All(outputs, o => Assert.True(o.ExitCode == 0, o.ToString()));
        Assert.Equal(6L, await ScalarAsync<long>("SELECT count(*) FROM applied_log"));
        Assert.Equal(6L, await ScalarAsync<long>("SELECT count(DISTINCT revision) FROM applied_log"));
        Assert.Equal(6, await HistoryCountAsync());
        Assert.Single(outputs, o => o.Stdout.Contains("Done: 6 migrations applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_held_lock_makes_a_second_run_exit_7()
    {
        // The first run holds the migration lock for as long as this test holds the advisory lock its migration waits on.
        ThreeMigrations($"CREATE TABLE b (id int);\nSELECT pg_advisory_lock({HoldKey});\nSELECT pg_advisory_unlock({HoldKey});");
        var hold = await HoldAsync();
        using var first = CliProcess.Start(_dir.Path, Environment, "upgrade", "--lock-timeout", "0");
        await WaitForBackendAsync("pg_advisory_lock");

        var second = await Cli("upgrade", "--wait-for-lock", "1s");

        Assert.Equal(7, second.ExitCode);
        Assert.Contains("lock", second.Stderr);
        await hold.DisposeAsync();
        await first.WaitForExitAsync();
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(3, await HistoryCountAsync());
    }

    /// <summary>The advisory lock a migration waits on while a test holds it.</summary>
    private const long HoldKey = 724_519;

    /// <summary>Holds <see cref="HoldKey"/> on a connection of the test's own until disposed.</summary>
    private async Task<NpgsqlConnection> HoldAsync()
    {
        var connection = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({HoldKey})", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task Wrong_password_and_a_closed_port_exit_4_without_showing_the_password()
    {
        Migration("20250101_a", null, "SELECT 1;");
        var builder = new NpgsqlConnectionStringBuilder(_database.Target.ConnectionString);
        var secret = "s3cret-" + Guid.NewGuid().ToString("N")[..8];
        var wrongPassword = $"postgres://{builder.Username}:{secret}@127.0.0.1:{builder.Port}/{builder.Database}";
        var closedPort = $"postgres://{builder.Username}:{secret}@127.0.0.1:1/{builder.Database}";

        var badAuth = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = wrongPassword }, "status");
        var refused = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?>(), "status", "--database", closedPort, "--json");

        Assert.Equal(4, badAuth.ExitCode);
        Assert.Equal(4, refused.ExitCode);
        Assert.DoesNotContain(secret, badAuth.All);
        Assert.DoesNotContain(secret, refused.All);
        Assert.Contains("***", badAuth.Stderr);
    }

    [Fact]
    public async Task Invalid_files_are_the_error_reported_even_while_the_server_cannot_be_reached()
    {
        Migration("20250101_a", null, "SELECT 1;");
        Migration("20250102_b", "20250101_missing", "SELECT 2;");
        var builder = new NpgsqlConnectionStringBuilder(_database.Target.ConnectionString);
        var closedPort = $"postgres://{builder.Username}@127.0.0.1:1/{builder.Database}";

        var status = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?>(), "status", "--database", closedPort);
        var upgrade = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?>(), "upgrade", "--database", closedPort);

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.True(upgrade.ExitCode == 3, upgrade.ToString());
        // The files' error is the one reported; the connection attempt made meanwhile is abandoned.
        Assert.Contains("are not valid", upgrade.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:1", upgrade.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_mode_prints_the_script_and_changes_nothing()
    {
        ThreeMigrations("CREATE TABLE b (id int);");

        var output = await Cli("upgrade", "--sql");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("CREATE TABLE b (id int);", output.Stdout);
        Assert.Contains("INSERT INTO \"public\".\"probeops_schema_history\"", output.Stdout);
        Assert.False(await TableExistsAsync("a"));
        Assert.False(await TableExistsAsync("probeops_schema_history"));
    }

    [Fact]
    public async Task Dry_run_rolls_back_and_status_reports_pending()
    {
        ThreeMigrations("CREATE TABLE b (id int);");

        var dry = await Cli("upgrade", "--dry-run");
        var status = await Cli("status", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("Dry run", dry.Stdout);
        Assert.False(await TableExistsAsync("a"));
        Assert.Contains("20250103_c", status.Stdout);
        Assert.Contains("\"upToDate\": false", status.Stdout);
    }

    [Fact]
    public async Task A_statement_that_hits_the_lock_timeout_is_retried_until_the_lock_is_free()
    {
        Migration("20250101_a", null, "CREATE TABLE busy (id int);");
        Assert.Equal(0, (await Cli("upgrade")).ExitCode);
        Migration("20250102_b", "20250101_a", "ALTER TABLE busy ADD COLUMN name text;");

        var output = await UpgradeWhileBusyIsLockedUntilARetryAsync();
        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.True(output.Stderr.Contains("lock timeout", StringComparison.Ordinal), output.ToString());
        Assert.Contains("retrying", output.Stderr);
        Assert.True(await ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'name')"));
    }

    [Fact]
    public async Task A_failing_third_statement_of_four_is_named_by_its_line_and_state_and_nothing_is_applied()
    {
        Migration("20250101_a", null, "CREATE TABLE a (id int);");
        Migration("20250102_b", "20250101_a", """
            CREATE TABLE b (id int);
            INSERT INTO b VALUES (1);
            ALTER TABLE missing ADD COLUMN x int;
            CREATE TABLE b2 (id int);
            """);

        var human = await Cli("upgrade");
        var json = await Cli("upgrade", "--json");

        Assert.Equal(8, human.ExitCode);
        Assert.Contains("upgrade of 20250102_b failed at 20250102_b.sql:6: relation \"missing\" does not exist (SQLSTATE 42P01)", human.Stderr);
        Assert.Contains("    6 | ALTER TABLE missing ADD COLUMN x int\n", human.Stderr);
        var failure = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("error").GetProperty("migration");
        Assert.Equal(6, failure.GetProperty("line").GetInt32());
        Assert.Equal("42P01", failure.GetProperty("sqlState").GetString());
        Assert.Equal("ALTER TABLE missing ADD COLUMN x int", failure.GetProperty("statement").GetString());
        Assert.False(await TableExistsAsync("a"));
        Assert.False(await TableExistsAsync("b"));
        Assert.False(await TableExistsAsync("b2"));
        Assert.Equal(0, await HistoryCountAsync());
    }

    [Fact]
    public async Task A_multi_line_statement_that_fails_mid_batch_reports_the_line_the_server_pointed_at()
    {
        Migration("20250101_a", null, """
            CREATE TABLE a (id int);
            INSERT INTO a VALUES (1);
            INSERT INTO a
            SELECT id
            FROM nowhere;
            CREATE TABLE later (id int);
            """);

        var output = await Cli("upgrade");

        Assert.Equal(8, output.ExitCode);
        Assert.Contains("20250101_a.sql:8: relation \"nowhere\" does not exist (SQLSTATE 42P01)", output.Stderr);
        Assert.Contains("    8 | FROM nowhere\n             ^\n", output.Stderr);
        Assert.False(await TableExistsAsync("a"));
    }

    [Fact]
    public async Task A_migration_mixing_dollar_quoted_and_begin_atomic_bodies_applies_in_per_migration_mode()
    {
        Migration("20250101_a", null, """
            CREATE TABLE audit (note text);
            CREATE FUNCTION note(msg text) RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
                RAISE NOTICE 'noting %; now', msg;
                INSERT INTO audit VALUES (msg);
            END;
            $body$;
            CREATE PROCEDURE note_twice(msg text) LANGUAGE sql
            BEGIN ATOMIC
                SELECT note(msg);
                SELECT note(msg || '; again');
            END;
            CALL note_twice('first');
            """);
        Migration("20250102_b", "20250101_a", "CALL note_twice('second');\nSELECT note('third');");

        var output = await Cli("upgrade", "--transaction", "per-migration");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(5L, await ScalarAsync<long>("SELECT count(*) FROM audit"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM audit WHERE note = 'second; again'"));
        Assert.Equal(2, await HistoryCountAsync());
    }

    [Fact]
    public async Task Per_migration_mode_keeps_the_first_when_a_later_statement_of_the_second_fails()
    {
        ThreeMigrations("CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b VALUES (1 / 0);\nCREATE TABLE b2 (id int);");

        var output = await Cli("upgrade", "--transaction", "per-migration", "--json");

        Assert.Equal(8, output.ExitCode);
        var failure = JsonDocument.Parse(output.Stdout).RootElement.GetProperty("error").GetProperty("migration");
        Assert.Equal("20250102_b", failure.GetProperty("revision").GetString());
        Assert.Equal(6, failure.GetProperty("line").GetInt32());
        Assert.Equal("22012", failure.GetProperty("sqlState").GetString());
        Assert.Equal(["20250101_a"], failure.GetProperty("committed").EnumerateArray().Select(e => e.GetString()));
        Assert.True(await TableExistsAsync("a"));
        Assert.False(await TableExistsAsync("b"));
        Assert.False(await TableExistsAsync("c"));
        Assert.Equal(1, await HistoryCountAsync());
    }

    [Fact]
    public async Task A_non_transactional_section_still_runs_statement_by_statement()
    {
        // Sent together these would run in one implicit transaction, which CONCURRENTLY and VACUUM refuse.
        Migration("20250101_table", null, "CREATE TABLE items (id int, name text);");
        Migration("20250102_index", "20250101_table", """
            CREATE INDEX CONCURRENTLY ix_items_id ON items (id);
            CREATE INDEX CONCURRENTLY ix_items_name ON items (name);
            VACUUM items;
            """, transactional: false);

        var output = await Cli("upgrade");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass AND indisvalid"));
        Assert.Equal(2, await HistoryCountAsync());
    }

    [Fact]
    public async Task A_lock_timeout_on_a_later_statement_of_a_batch_retries_the_whole_transaction()
    {
        Migration("20250101_a", null, "CREATE TABLE busy (id int);");
        Assert.Equal(0, (await Cli("upgrade")).ExitCode);
        Migration("20250102_b", "20250101_a", "CREATE TABLE before_busy (id int);\nINSERT INTO before_busy VALUES (1);\nALTER TABLE busy ADD COLUMN name text;\nCREATE TABLE after_busy (id int);");

        var output = await UpgradeWhileBusyIsLockedUntilARetryAsync();
        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("retrying the transaction", output.Stderr);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM before_busy"));
        Assert.True(await TableExistsAsync("after_busy"));
        Assert.Equal(2, await HistoryCountAsync());
    }

    /// <summary>
    /// Runs <c>upgrade</c> with a 200 ms lock timeout while another session holds a lock on table
    /// <c>busy</c> that <c>ALTER TABLE busy</c> needs, and lets go once the tool has timed out and started the
    /// ALTER again (a second attempt is on the server).
    /// </summary>
    private async Task<CliOutput> UpgradeWhileBusyIsLockedUntilARetryAsync()
    {
        await using var blocker = await PostgresServer.Shared.OpenConnectionAsync(_database);
        await using (var begin = new NpgsqlCommand("BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE;", blocker))
        {
            await begin.ExecuteNonQueryAsync();
        }

        var run = Cli("upgrade", "--lock-timeout", "200ms");
        var firstAttempt = await WaitForQueryStartAsync("ALTER TABLE busy", startedAfter: DateTime.MinValue);
        await WaitForQueryStartAsync("ALTER TABLE busy", startedAfter: firstAttempt);
        await using (var commit = new NpgsqlCommand("COMMIT", blocker))
        {
            await commit.ExecuteNonQueryAsync();
        }

        return await run;
    }

    /// <summary>
    /// Waits until a backend of the tool runs a query containing <paramref name="text"/> that started after
    /// <paramref name="startedAfter"/> (the server's clock); returns when that query started.
    /// </summary>
    private Task<DateTime> WaitForQueryStartAsync(string text, DateTime startedAfter) => PollToolBackendAsync<DateTime>(
        $"SELECT max(query_start) FROM pg_stat_activity WHERE {ToolRuns(text)} AND query_start > '{startedAfter:O}'::timestamptz",
        $"no backend started '{text}' after {startedAfter:O}");

    /// <summary>Waits until a backend of the tool is running a query containing <paramref name="text"/>; returns its pid.</summary>
    private Task<int> WaitForBackendAsync(string text) => PollToolBackendAsync<int>(
        $"SELECT pid FROM pg_stat_activity WHERE {ToolRuns(text)} LIMIT 1", $"no backend ran '{text}'");

    private static string ToolRuns(string text) =>
        $"datname = current_database() AND application_name LIKE 'probeops-migrate%' AND query LIKE '%{text}%'";

    /// <summary>Runs <paramref name="sql"/> until it returns a value (at most a minute, a guard only).</summary>
    private async Task<T> PollToolBackendAsync<T>(string sql, string failure)
        where T : struct
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await ScalarAsync<T?>(sql) is T found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException(failure + " within 60 s");
    }
}
