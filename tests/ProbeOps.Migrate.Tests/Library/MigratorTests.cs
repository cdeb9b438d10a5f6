using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Code;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Library;

/// <summary>The library entry on real SQLite files: sources, logging, cancellation, clear errors.</summary>
public sealed class MigratorTests : IDisposable
{
    private const string EmbeddedFolder = "Library/Embedded/migrations";

    private readonly TempDirectory _dir = new();

    private string DatabasePath => _dir.Combine("app.db");

    [Fact]
    public async Task Upgrade_applies_the_migrations_of_a_directory_and_a_second_upgrade_applies_none()
    {
        _dir.Write("migrations/20250101_create_users.sql", MigrationText.File(null, "CREATE TABLE users (id integer PRIMARY KEY);"));
        _dir.Write("migrations/20250102_add_email.sql", MigrationText.File("20250101_create_users", "ALTER TABLE users ADD COLUMN email text;"));

        await using var migrator = Migrator.Create(o => o.UseSqlite(DatabasePath).FromDirectory(_dir.Combine("migrations")));
        var first = await migrator.UpgradeAsync();
        var second = await migrator.UpgradeAsync();

        Assert.Equal(["20250101_create_users", "20250102_add_email"], first.Steps.Select(s => s.Revision));
        Assert.Empty(second.Steps);
        Assert.Equal(["20250102_add_email"], second.HeadsAfter);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Code_migrations_given_to_the_options_join_the_files_of_the_directory()
    {
        _dir.Write("migrations/20250101_create_users.sql", MigrationText.File(null, "CREATE TABLE users (id integer PRIMARY KEY);"));

        await using var migrator = Migrator.Create(o => o
            .UseSqlite(DatabasePath)
            .FromDirectory(_dir.Combine("migrations"))
            .WithCodeMigrations(global::ProbeOps.Migrate.Code.CodeMigrations.Of(new SeedsAUser())));
        var result = await migrator.UpgradeAsync();

        Assert.Equal(["20250101_create_users", SeedsAUser.Id], result.Steps.Select(s => s.Revision));
        Assert.Equal(7L, Scalar("SELECT id FROM users"));
    }

    [Fact]
    public async Task Upgrade_applies_the_migrations_embedded_in_an_assembly_with_their_repeatables()
    {
        string temporary;
        await using (var migrator = Migrator.Create(o => o.UseSqlite(DatabasePath).FromEmbeddedResources(typeof(MigratorTests).Assembly, EmbeddedFolder)))
        {
            temporary = migrator.Commands.Settings.MigrationsDirectory;
            var result = await migrator.UpgradeAsync();

            Assert.Equal(
                ["20250101_create_notes", "20250102_add_note_title", "repeatable/note_titles"],
                result.Steps.Select(s => s.Revision));
            Assert.True((await migrator.StatusAsync()).IsUpToDate);
        }

        Assert.Equal(0L, Scalar("SELECT count(*) FROM note_titles"));
        Assert.False(Directory.Exists(temporary), "the directory the embedded files were written to outlives the migrator");
    }

    [Fact]
    public void Embedded_files_of_deeper_folders_are_not_migrations()
    {
        var source = new EmbeddedMigrationSource(typeof(MigratorTests).Assembly, EmbeddedFolder);

        Assert.Equal(
            ["20250101_create_notes.sql", "20250102_add_note_title.sql", "repeatable/note_titles.sql"],
            source.Files().Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_two_sources_both_hold_is_refused_naming_both()
    {
        _dir.Write("migrations/20250101_create_notes.sql", MigrationText.File(null, "CREATE TABLE other (id integer);"));

        var error = Assert.Throws<MigrateException>(() => Migrator.Create(o => o
            .UseSqlite(DatabasePath)
            .FromEmbeddedResources(typeof(MigratorTests).Assembly, EmbeddedFolder)
            .FromDirectory(_dir.Combine("migrations"))));

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("20250101_create_notes.sql is given twice", error.Message, StringComparison.Ordinal);
        Assert.Contains(_dir.Combine("migrations"), error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    [Fact]
    public void A_migrator_without_a_database_or_migrations_says_how_to_give_them()
    {
        var noDatabase = Assert.Throws<MigrateException>(() => Migrator.Create(o => o.FromDirectory(_dir.Path)));
        var noMigrations = Assert.Throws<MigrateException>(() => Migrator.Create(o => o.UseSqlite(DatabasePath)));

        Assert.Equal(FailureKind.Usage, noDatabase.Kind);
        Assert.Contains("UsePostgreSql(connectionString) or UseSqlite(path)", noDatabase.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Usage, noMigrations.Kind);
        Assert.Contains("FromDirectory", noMigrations.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_logs_each_migration_through_the_logger_factory()
    {
        var loggers = new ListLoggerFactory();
        await using var migrator = Migrator.Create(o => o
            .UseSqlite(DatabasePath)
            .FromEmbeddedResources(typeof(MigratorTests).Assembly, EmbeddedFolder)
            .UseLoggerFactory(loggers));

        await migrator.UpgradeAsync();

        Assert.Contains(loggers.Lines, l => l.StartsWith("Information ProbeOps.Migrate.Migrator: Upgrade 20250101_create_notes (1/", StringComparison.Ordinal));
        Assert.Contains(loggers.Lines, l => l.Contains("Upgrade 20250102_add_note_title done in", StringComparison.Ordinal));
        Assert.Contains(loggers.Lines, l => l.Contains(": 3 migrations applied; at 20250102_add_note_title", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upgrade_with_a_cancelled_token_changes_nothing()
    {
        await using var migrator = Migrator.Create(o => o.UseSqlite(DatabasePath).FromEmbeddedResources(typeof(MigratorTests).Assembly, EmbeddedFolder));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => migrator.UpgradeAsync(cancelled.Token));

        Assert.Equal(3, (await migrator.StatusAsync()).Pending.Count + (await migrator.StatusAsync()).PendingRepeatables.Count);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>A code migration on top of the directory's base file: one row into <c>users</c>.</summary>
[Revision(Id, "20250101_create_users")]
internal sealed class SeedsAUser : CodeMigration
{
    public const string Id = "20250102_seed_a_user";

    public override async Task UpgradeAsync(CodeMigrationContext context) =>
        await context.ExecuteAsync("INSERT INTO users (id) VALUES (7)");
}
