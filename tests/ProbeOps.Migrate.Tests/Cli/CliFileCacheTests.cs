using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>The stat cache of migration files through the real process, on a SQLite file.</summary>
public sealed class CliFileCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string?> Environment => new()
    {
        ["DATABASE_URL"] = "sqlite:app.db",
        ["PROBEOPS_MIGRATE_CACHE_DIR"] = _dir.Combine("cache"),
    };

    private string FileCache => _dir.Combine("cache", "files");

    /// <summary>As if the cache had been written well after the files last changed (see FileStatCacheTests).</summary>
    private void AgeCache()
    {
        foreach (var file in Directory.GetFiles(FileCache))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(1));
        }
    }

    [Fact]
    public async Task Validate_keeps_a_stat_cache_and_no_cache_reads_everything_without_one()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));

        var uncached = await CliProcess.RunAsync(_dir.Path, Environment, "validate", "--no-cache");
        Assert.True(uncached.ExitCode == 0, uncached.ToString());
        Assert.False(Directory.Exists(FileCache));

        var cached = await CliProcess.RunAsync(_dir.Path, Environment, "validate");
        Assert.True(cached.ExitCode == 0, cached.ToString());
        Assert.Single(Directory.GetFiles(FileCache, "*.cache"));
    }

    [Fact]
    public async Task Upgrade_applies_a_pending_file_from_its_content_and_sees_an_edit_that_kept_size_and_time()
    {
        var first = _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, Environment, "upgrade")).ExitCode);
        AgeCache();

        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id INTEGER);"));
        var second = await CliProcess.RunAsync(_dir.Path, Environment, "upgrade");
        var status = JsonDocument.Parse((await CliProcess.RunAsync(_dir.Path, Environment, "status", "--json")).Stdout).RootElement;
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, status.GetProperty("applied").GetArrayLength());
        Assert.Equal(0, status.GetProperty("edited").GetArrayLength());
        AgeCache();

        var modified = File.GetLastWriteTimeUtc(first);
        File.WriteAllText(first, MigrationText.File(null, "CREATE TABLE z (id INTEGER);"));
        File.SetLastWriteTimeUtc(first, modified);
        var edited = await CliProcess.RunAsync(_dir.Path, Environment, "upgrade");

        Assert.True(edited.ExitCode == 3, edited.ToString());
        Assert.Contains("20250101_a.sql", edited.Stderr, StringComparison.Ordinal);
    }
}
