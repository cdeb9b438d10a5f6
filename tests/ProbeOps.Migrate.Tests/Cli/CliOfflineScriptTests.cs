namespace ProbeOps.Migrate.Tests.Cli;

/// <summary><c>upgrade --sql</c> and <c>downgrade --sql</c> without a database: ranges FROM:TO as Alembic writes them, and a dialect.</summary>
public sealed class CliOfflineScriptTests : IDisposable
{
    /// <summary>A PostgreSQL URL where nothing listens: a command that tried to connect would exit 4.</summary>
    private const string Unreachable = "postgres://probe:secret@127.0.0.1:1/app";

    private readonly TempDirectory _dir = new();

    public CliOfflineScriptTests()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);", "DROP TABLE a;"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);", "DROP TABLE b;"));
        _dir.Write("migrations/20250103_c.sql", MigrationText.File("20250102_b", "CREATE TABLE c (id INTEGER);", "DROP TABLE c;"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Upgrade_base_to_head_needs_no_database_and_writes_postgresql_by_default()
    {
        var output = await CliProcess.RunAsync(_dir.Path, "upgrade", "--sql", "base:head");

        Assert.True(output.ExitCode == 0, output.ToString());
        AssertInOrder(output.Stdout, "BEGIN;", "CREATE TABLE a", "CREATE TABLE b", "CREATE TABLE c", "COMMIT");
        Assert.Contains("timestamptz", output.Stdout);
    }

    [Fact]
    public async Task A_range_from_a_revision_prefix_writes_only_what_follows_it()
    {
        var output = await CliProcess.RunAsync(_dir.Path, "upgrade", "--sql", "20250101:20250102_b", "--dialect", "sqlite");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("BEGIN IMMEDIATE", output.Stdout);
        Assert.Contains("CREATE TABLE b", output.Stdout);
        Assert.DoesNotContain("CREATE TABLE a", output.Stdout);
        Assert.DoesNotContain("CREATE TABLE c", output.Stdout);
    }

    [Fact]
    public async Task Downgrade_head_to_base_reverts_newest_first()
    {
        var output = await CliProcess.RunAsync(_dir.Path, "downgrade", "--sql", "head:base");

        Assert.True(output.ExitCode == 0, output.ToString());
        AssertInOrder(output.Stdout, "DROP TABLE c", "DROP TABLE b", "DROP TABLE a");
    }

    [Fact]
    public async Task A_range_never_connects_and_takes_the_dialect_from_the_configured_url()
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = Unreachable };

        var output = await CliProcess.RunAsync(_dir.Path, env, "upgrade", "--sql", "20250102_b:head");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("\"public\".\"probeops_schema_history\"", output.Stdout);
        Assert.Contains("CREATE TABLE c", output.Stdout);
        Assert.DoesNotContain("CREATE TABLE b", output.Stdout);
        Assert.DoesNotContain("secret", output.All);
    }

    [Fact]
    public async Task A_sqlite_setting_gives_sqlite_sql_and_creates_no_file()
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };

        var output = await CliProcess.RunAsync(_dir.Path, env, "upgrade", "--sql", "base:20250101_a");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("BEGIN IMMEDIATE", output.Stdout);
        Assert.False(File.Exists(_dir.Combine("app.db")));
    }

    [Fact]
    public async Task Without_a_database_upgrade_starts_at_base_and_downgrade_needs_a_range()
    {
        var upgrade = await CliProcess.RunAsync(_dir.Path, "upgrade", "--sql");
        var downgrade = await CliProcess.RunAsync(_dir.Path, "downgrade", "--sql", "base");
        var badRange = await CliProcess.RunAsync(_dir.Path, "upgrade", "--sql", "head:");

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Contains("assumed to be at base", upgrade.Stdout);
        Assert.Contains("CREATE TABLE a", upgrade.Stdout);
        Assert.True(downgrade.ExitCode == 2, downgrade.ToString());
        Assert.Contains("needs a range FROM:TO", downgrade.Stderr);
        Assert.True(badRange.ExitCode == 2, badRange.ToString());
    }

    private static void AssertInOrder(string text, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' missing after position {at} in:\n{text}");
            at = found + part.Length;
        }
    }
}
