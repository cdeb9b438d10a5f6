using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary>The apply engine through the library, on real SQLite files.</summary>
public sealed class SqliteEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => _dir.Combine("app.db");

    private MigrationCommands Commands(TimeSpan? waitForLock = null) => new(
        new MigrateSettings
        {
            Database = "sqlite:" + DatabasePath,
            MigrationsDirectory = _dir.Combine("migrations"),
            BackupDirectory = _dir.Combine("backups"),
            LogDirectory = _dir.Combine("deployment_logs"),
            WaitForLock = waitForLock ?? TimeSpan.FromSeconds(5),
        },
        new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]));

    private void Migration(string name, string? parent, string upgrade, string? downgrade = null, bool transactional = true) =>
        _dir.Write($"migrations/{name}.sql", MigrationText.File(parent, upgrade, downgrade, transactional: transactional));

    private void ThreeMigrations(string secondUpgrade = "CREATE TABLE b (id INTEGER);")
    {
        Migration("20250101_a", null, "CREATE TABLE a (id INTEGER);", "DROP TABLE a;");
        Migration("20250102_b", "20250101_a", secondUpgrade, "DROP TABLE b;");
        Migration("20250103_c", "20250102_b", "CREATE TABLE c (id INTEGER);", "DROP TABLE c;");
    }

    private List<string> Tables()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    [Fact]
    public async Task Upgrade_applies_every_migration_and_records_history()
    {
        ThreeMigrations();

        var run = await Commands().UpgradeAsync(new RunRequest("head"), default);
        var status = await Commands().StatusAsync(default);

        Assert.Equal(["20250101_a", "20250102_b", "20250103_c"], run.Steps.Select(s => s.Revision));
        Assert.Equal(["20250103_c"], run.HeadsAfter);
        Assert.True(status.IsUpToDate);
        Assert.Equal(3, status.Applied.Count);
        Assert.All(status.Applied, a => Assert.Equal(64, a.Checksum.Length));
        Assert.Contains("a", Tables());
        Assert.Contains("c", Tables());
    }

    [Fact]
    public async Task Dry_run_runs_everything_and_leaves_nothing()
    {
        ThreeMigrations();

        var run = await Commands().UpgradeAsync(new RunRequest("head", DryRun: true), default);

        Assert.True(run.DryRun);
        Assert.Equal(3, run.Steps.Count);
        Assert.Empty(Tables());
    }

    [Fact]
    public async Task Downgrade_refuses_to_pass_an_irreversible_revision()
    {
        Migration("20250101_a", null, "CREATE TABLE a (id INTEGER);");
        Migration("20250102_b", "20250101_a", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;");
        await Commands().UpgradeAsync(new RunRequest("head"), default);

        var refused = await Assert.ThrowsAsync<MigrateException>(() => Commands().DowngradeAsync(new RunRequest("base"), default));

        Assert.Contains("20250101_a", refused.Message);
        Assert.Contains("a", Tables());
        Assert.Contains("b", Tables());
    }

    [Fact]
    public async Task Editing_an_applied_file_stops_upgrade_and_shows_in_status()
    {
        ThreeMigrations();
        await Commands().UpgradeAsync(new RunRequest("20250102_b"), default);
        Migration("20250101_a", null, "CREATE TABLE a (id INTEGER, extra TEXT);", "DROP TABLE a;");

        var refused = await Assert.ThrowsAsync<MigrateException>(() => Commands().UpgradeAsync(new RunRequest("head"), default));
        var status = await Commands().StatusAsync(default);

        Assert.Equal(FailureKind.InvalidMigrations, refused.Kind);
        Assert.Contains("20250101_a.sql", refused.Message);
        Assert.Equal(["20250101_a"], status.Edited.Select(e => e.Revision));
        Assert.DoesNotContain("c", Tables());
    }

    [Fact]
    public async Task Stamp_records_without_running_sql_and_base_clears_history()
    {
        ThreeMigrations();

        var stamp = await Commands().StampAsync("20250102_b", default);
        Assert.Equal(2, stamp.Recorded);
        Assert.DoesNotContain("a", Tables());

        var run = await Commands().UpgradeAsync(new RunRequest("head"), default);
        Assert.Equal(["20250103_c"], run.Steps.Select(s => s.Revision));

        await Commands().StampAsync("base", default);
        Assert.Empty((await Commands().StatusAsync(default)).Applied);
    }

    [Fact]
    public async Task Sql_script_shows_statements_and_history_writes_without_changing_anything()
    {
        ThreeMigrations();

        var script = await Commands().ScriptAsync(MigrationDirection.Upgrade, "head", TransactionMode.Single, default);

        Assert.Contains("CREATE TABLE b (id INTEGER);", script.Sql);
        Assert.Contains("INSERT INTO \"probeops_schema_history\"", script.Sql);
        Assert.Equal(1, CountOccurrences(script.Sql, "COMMIT"));
        Assert.DoesNotContain("a", Tables());
    }

    [Fact]
    public async Task Triggers_with_begin_end_bodies_apply()
    {
        Migration("20250101_a", null, """
            CREATE TABLE t (id INTEGER, n INTEGER);
            CREATE TABLE log (msg TEXT);
            CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
                INSERT INTO log VALUES ('one;');
                INSERT INTO log VALUES ('two');
            END;
            INSERT INTO t VALUES (1, 1);
            """);

        await Commands().UpgradeAsync(new RunRequest("head"), default);

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM log";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Reset_requires_the_database_name_and_keeps_the_audit_log()
    {
        ThreeMigrations();
        await Commands().UpgradeAsync(new RunRequest("head"), default);

        var refused = await Assert.ThrowsAsync<MigrateException>(() => Commands().ResetAsync("wrong.db", noBackup: false, default));
        Assert.Equal(FailureKind.ConfirmationRequired, refused.Kind);
        Assert.Contains("a", Tables());

        var reset = await Commands().ResetAsync("app.db", noBackup: false, default);
        Assert.NotNull(reset.Backup);
        Assert.True(File.Exists(reset.Backup));
        Assert.Equal(["probeops_schema_history_audit"], Tables());

        await using var session = (await Commands().OpenSessionAsync(default)).Session;
        var audit = await session.History.ReadAuditAsync(default);
        Assert.Equal([AuditOperations.Upgrade, AuditOperations.Reset], audit.Select(a => a.Operation));
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
