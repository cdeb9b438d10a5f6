using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>Retention orders a database's backups by the time each was taken, not by file name, on real SQLite files.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class BackupRetentionTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A clock that says what the test sets.</summary>
    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private void CreateDatabase()
    {
        using var connection = new SqliteConnection($"Data Source={_dir.File("app.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (id INTEGER)";
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Keep_removes_the_older_backup_even_when_its_name_sorts_last()
    {
        CreateDatabase();
        // Two backups in one second: the names share the timestamp, and "base" sorts after "20250101_a".
        var second = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new SetClock(second.AddMilliseconds(100));
        var service = new BackupService(new SqliteBackupTool(), clock);
        var older = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "base", keep: null, CancellationToken.None);
        clock.Now = second.AddMilliseconds(900);

        var newer = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "20250101_a", keep: 1, CancellationToken.None);

        Assert.True(File.Exists(newer.Path), "the backup just taken was removed");
        Assert.False(File.Exists(older.Path));
        Assert.Contains(older.Path, newer.Removed);
        Assert.Contains(older.ChecksumFile, newer.Removed);
    }

    [Fact]
    public async Task Keep_never_removes_the_backup_just_taken_even_when_the_clock_went_back()
    {
        CreateDatabase();
        var clock = new SetClock(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var service = new BackupService(new SqliteBackupTool(), clock);
        var later = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "base", keep: null, CancellationToken.None);
        clock.Now = clock.Now.AddHours(-1);

        var current = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "20250101_a", keep: 1, CancellationToken.None);

        Assert.True(File.Exists(current.Path));
        Assert.False(File.Exists(later.Path));
        Assert.Contains(later.Path, current.Removed);
    }

    [Fact]
    public async Task A_second_backup_of_the_same_revision_in_one_second_gets_a_name_of_its_own()
    {
        CreateDatabase();
        var clock = new SetClock(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var service = new BackupService(new SqliteBackupTool(), clock);
        var first = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "base", keep: null, CancellationToken.None);

        var second = await service.CreateAsync(_dir.Target(), _dir.File("backups"), "base", keep: 2, CancellationToken.None);

        Assert.EndsWith("_20250601T120000Z_base.dump", first.Path, StringComparison.Ordinal);
        Assert.EndsWith("_20250601T120000Z_base-2.dump", second.Path, StringComparison.Ordinal);
        Assert.True(File.Exists(first.Path) && File.Exists(first.ChecksumFile), "the first backup was overwritten or removed");
        Assert.True(File.Exists(second.Path) && File.Exists(second.ChecksumFile));
        Assert.Empty(second.Removed);
    }
}
