using Microsoft.Data.Sqlite;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>Files are read with the SQL rules of the database they are for, through the real process.</summary>
public sealed class CliDialectTests : IDisposable
{
    // [owner's notes] is a SQLite identifier; to PostgreSQL the quote opens a string that never closes.
    private const string SqliteOnly = "CREATE TABLE notes (id INTEGER, [owner's notes] TEXT);\nINSERT INTO notes VALUES (1, 'a;b');";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> Sqlite => new() { ["DATABASE_URL"] = "sqlite:app.db" };

    [Fact]
    public async Task A_sqlite_database_gets_its_files_checked_split_and_run_with_sqlite_rules()
    {
        _dir.Write("migrations/20250101_notes.sql", MigrationText.File(null, SqliteOnly));

        var validate = await CliProcess.RunAsync(_dir.Path, Sqlite, "validate");
        var script = await CliProcess.RunAsync(_dir.Path, Sqlite, "upgrade", "--sql");
        var upgrade = await CliProcess.RunAsync(_dir.Path, Sqlite, "upgrade");

        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("CREATE TABLE notes (id INTEGER, [owner's notes] TEXT);\nINSERT INTO notes VALUES (1, 'a;b');\n", script.Stdout, StringComparison.Ordinal);
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        await using var connection = new SqliteConnection($"Data Source={_dir.Combine("app.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(id || '=' || [owner's notes], ' ') FROM notes";
        Assert.Equal("1=a;b", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Validate_without_a_database_uses_postgresql_rules_unless_a_dialect_is_given()
    {
        _dir.Write("migrations/20250101_notes.sql", MigrationText.File(null, SqliteOnly));

        var postgres = await CliProcess.RunAsync(_dir.Path, "validate");
        var sqlite = await CliProcess.RunAsync(_dir.Path, "validate", "--dialect", "sqlite");
        var explicitPostgres = await CliProcess.RunAsync(_dir.Path, Sqlite, "validate", "--dialect", "postgresql");

        Assert.Equal(3, postgres.ExitCode);
        Assert.Contains("PM116", postgres.Stderr, StringComparison.Ordinal);
        Assert.True(sqlite.ExitCode == 0, sqlite.ToString());
        Assert.Equal(3, explicitPostgres.ExitCode);
    }

    [Fact]
    public async Task An_unknown_dialect_is_a_usage_error()
    {
        _dir.Write("migrations/20250101_notes.sql", MigrationText.File(null, "SELECT 1;"));

        var output = await CliProcess.RunAsync(_dir.Path, "validate", "--dialect", "oracle");

        Assert.Equal(2, output.ExitCode);
        Assert.Contains("oracle", output.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.Stderr, StringComparison.Ordinal);
    }
}
