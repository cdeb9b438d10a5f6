using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

/// <summary>Backups of real SQLite files: the copy is checked page by page and index by index before it counts.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteBackupToolTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void Exec(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A database whose index no longer matches its table: every b-tree page reads fine, the content does not.</summary>
    private string DatabaseWithABrokenIndex(string name)
    {
        var path = _dir.File(name);
        Exec(path, """
            CREATE TABLE t (a INTEGER, b INTEGER);
            CREATE INDEX ti ON t (a);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i, i * 2 FROM n;
            """);
        Exec(path, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX ti ON t (b)' WHERE name = 'ti';");
        return path;
    }

    [Fact]
    public async Task Verify_checks_index_content_not_only_the_pages()
    {
        var broken = DatabaseWithABrokenIndex("broken.db");

        var error = await Assert.ThrowsAsync<MigrateException>(() => new SqliteBackupTool().VerifyAsync(broken, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.Contains("failed its integrity check", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing from index ti", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_of_a_database_with_a_broken_index_is_refused_and_leaves_no_file()
    {
        DatabaseWithABrokenIndex("app.db");
        var backups = _dir.File("backups");

        var error = await Assert.ThrowsAsync<MigrateException>(
            () => new BackupService(new SqliteBackupTool(), TimeProvider.System).CreateAsync(_dir.Target(), backups, "base", keep: null, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(backups));
    }

    [Fact]
    public async Task Backup_is_a_private_copy_with_the_checksum_of_its_bytes()
    {
        Exec(_dir.File("app.db"), "CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (7);");

        var info = await new BackupService(new SqliteBackupTool(), TimeProvider.System).CreateAsync(_dir.Target(), _dir.File("backups"), "base", keep: null, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(info.Path));
        Assert.Equal(await BackupService.Sha256Async(info.Path, CancellationToken.None), info.Sha256);
        Assert.Equal(new FileInfo(info.Path).Length, info.Bytes);
        using var connection = new SqliteConnection($"Data Source={info.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM t";
        Assert.Equal(7L, (long)command.ExecuteScalar()!);
    }
}
