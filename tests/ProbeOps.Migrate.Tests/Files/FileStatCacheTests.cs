using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

/// <summary>
/// The stat cache on real files: every way a file can change is seen, and a cache that cannot be trusted only costs
/// a read. "Aged" stands for a cache written well after the files last changed (its own time set an hour ahead), so
/// that the racy-clean rule, which has a test of its own, does not hide what the stamp comparison does.
/// </summary>
public sealed class FileStatCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("probeops-statcache-").FullName;
    private readonly string _migrations;
    private readonly FileStatCache _cache;

    public FileStatCacheTests()
    {
        _migrations = Path.Combine(_root, "migrations");
        Directory.CreateDirectory(_migrations);
        _cache = FileStatCache.For(Path.Combine(_root, "cache"), _migrations, SqlDialects.PostgreSql.Name)
            ?? throw new InvalidOperationException("file stamps are read on Linux, where these tests run");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_migrations, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static string Migration(string parent, string sql) => $"-- down_revision: {parent}\n-- migrate:upgrade\n{sql}\n-- migrate:downgrade\nSELECT 0;\n";

    private MigrationSet Load() => MigrationDirectory.Load(_migrations, SqlDialects.PostgreSql, _cache);

    private void AgeCache() => File.SetLastWriteTimeUtc(_cache.FilePath, DateTime.UtcNow.AddHours(1));

    /// <summary>Two files loaded once, so the cache holds both, then aged.</summary>
    private (string First, string Second) CachedPair()
    {
        var first = Write("20250101_a.sql", Migration("none", "SELECT 1;"));
        var second = Write("20250102_b.sql", Migration("20250101_a", "SELECT 2;"));
        Assert.All(Load().Files, f => Assert.False(f.IsDeferred));
        AgeCache();
        return (first, second);
    }

    [Fact]
    public void Unchanged_files_come_from_the_cache_with_their_header_and_are_read_only_when_their_sections_are_asked_for()
    {
        CachedPair();
        var fresh = MigrationDirectory.Load(_migrations, SqlDialects.PostgreSql);

        var cached = Load();

        Assert.All(cached.Files, f => Assert.True(f.IsDeferred));
        Assert.Equal(fresh.Files.Select(f => (f.Revision, f.Checksum, string.Join(',', f.DownRevisions), f.IsReversible, f.HasBackfill, f.IsUpgradeTransactional)),
            cached.Files.Select(f => (f.Revision, f.Checksum, string.Join(',', f.DownRevisions), f.IsReversible, f.HasBackfill, f.IsUpgradeTransactional)));
        Assert.Equal(fresh.Files[1].Upgrade.Statements, cached.Files[1].Upgrade.Statements);
        Assert.False(cached.Files[1].IsDeferred);
        Assert.True(cached.Files[0].IsDeferred);
    }

    [Fact]
    public void Content_changed_with_the_same_size_and_the_same_modification_time_is_read_again()
    {
        var (first, _) = CachedPair();
        var modified = File.GetLastWriteTimeUtc(first);
        var before = Load().Files[0].Checksum;
        AgeCache();

        File.WriteAllText(first, Migration("none", "SELECT 7;"), new UTF8Encoding(false));
        File.SetLastWriteTimeUtc(first, modified);

        var file = Load().Files[0];
        Assert.False(file.IsDeferred);
        Assert.NotEqual(before, file.Checksum);
        Assert.Equal("SELECT 7", Assert.Single(file.Upgrade.Statements).Text);
    }

    [Fact]
    public void A_renamed_file_is_read_under_its_new_name_and_its_old_entry_dropped()
    {
        var (_, second) = CachedPair();
        File.Move(second, Path.Combine(_migrations, "20250103_c.sql"));

        var set = Load();

        Assert.Equal(["20250101_a", "20250103_c"], set.Files.Select(f => f.Revision));
        Assert.True(set.Files[0].IsDeferred);
        Assert.False(set.Files[1].IsDeferred);
        Assert.DoesNotContain("20250102_b", File.ReadAllText(_cache.FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public void A_touched_file_is_read_again_and_keeps_its_checksum()
    {
        var (first, _) = CachedPair();
        var before = Load().Files[0].Checksum;
        AgeCache();
        File.SetLastWriteTimeUtc(first, DateTime.UtcNow.AddMinutes(-5));

        var file = Load().Files[0];

        Assert.False(file.IsDeferred);
        Assert.Equal(before, file.Checksum);
    }

    [Fact]
    public void A_file_changed_within_the_second_of_the_cache_write_is_read_again_even_when_its_stamp_matches()
    {
        var path = Write("20250101_a.sql", Migration("none", "SELECT 1;"));
        var old = Load().Files[0];
        File.WriteAllText(path, Migration("none", "SELECT 2;"), new UTF8Encoding(false));

        // What a run sees when the file changes again in the same clock tick as its first read: the stamp it
        // recorded with the old content is the stamp of the new content.
        var stamp = FileStamp.Of(path)!.Value;
        var racy = new CachedFile("20250101_a.sql", stamp, new string('a', 64), CachedFileHeader.Of(old));
        _cache.Write([racy]);

        var file = Load().Files[0];
        Assert.False(file.IsDeferred);
        Assert.Equal("SELECT 2", Assert.Single(file.Upgrade.Statements).Text);

        // The same entry in a cache written well after the change is trusted: the racy rule is what read it again.
        _cache.Write([racy]);
        AgeCache();
        Assert.Equal(old.Checksum, Load().Files[0].Checksum);
    }

    [Fact]
    public void A_deleted_file_is_gone_from_the_set_and_from_the_cache()
    {
        var (_, second) = CachedPair();
        File.Delete(second);

        var set = Load();

        Assert.Equal(["20250101_a"], set.Files.Select(f => f.Revision));
        Assert.DoesNotContain("20250102_b", File.ReadAllText(_cache.FilePath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("cut")]
    [InlineData("directory")]
    public void A_corrupt_or_unreadable_cache_means_every_file_is_read_and_never_an_error(string damage)
    {
        CachedPair();
        var bytes = File.ReadAllBytes(_cache.FilePath);
        switch (damage)
        {
            case "garbage":
                bytes[bytes.Length / 2] ^= 0x20;
                File.WriteAllBytes(_cache.FilePath, bytes);
                break;
            case "cut":
                File.WriteAllBytes(_cache.FilePath, bytes[..(bytes.Length / 2)]);
                break;
            default:
                File.Delete(_cache.FilePath);
                Directory.CreateDirectory(_cache.FilePath);
                break;
        }

        AgeCache();
        var set = Load();

        Assert.Empty(set.Diagnostics);
        Assert.Equal(2, set.Files.Count);
        Assert.All(set.Files, f => Assert.False(f.IsDeferred));
    }

    [Fact]
    public void A_file_with_a_placeholder_is_always_read()
    {
        Write("20250101_a.sql", Migration("none", "CREATE SCHEMA ${schema};"));
        Load();
        AgeCache();

        Assert.False(Load().Files[0].IsDeferred);
    }

    [Fact]
    public void A_deferred_file_that_changed_before_its_sections_were_read_stops_the_command_and_the_cache_is_dropped()
    {
        var (first, _) = CachedPair();
        var file = Load().Files[0];
        File.WriteAllText(first, Migration("none", "SELECT 9;"), new UTF8Encoding(false));

        var error = Assert.Throws<MigrateException>(file.ReadSections);

        Assert.Equal(FailureKind.InvalidMigrations, error.Kind);
        Assert.Contains("20250101_a.sql changed while this command was running", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_cache.FilePath));
    }
}
