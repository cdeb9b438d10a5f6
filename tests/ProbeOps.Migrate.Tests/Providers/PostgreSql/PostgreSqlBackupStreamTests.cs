using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

/// <summary>
/// A backup is verified as it is written (pg_restore reads the stream pg_dump writes into the file), and the
/// client programs are asked for their versions once a run. The real pg_dump runs behind small wrappers.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PostgreSqlBackupStreamTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PostgresServer Server => PostgresServer.Shared;

    private static string Real(string name) =>
        PostgreSqlClientTools.Find(name, Server.BinDirectory) ?? throw new InvalidOperationException($"{name} is not installed");

    private static async Task<TestDatabase> DatabaseWithRowsAsync()
    {
        var db = await Server.CreateDatabaseAsync();
        await using var connection = await Server.OpenConnectionAsync(db);
        await using var command = new NpgsqlCommand("CREATE TABLE probes (id int PRIMARY KEY, v text); INSERT INTO probes SELECT g, md5(g::text) FROM generate_series(1, 20000) g;", connection);
        await command.ExecuteNonQueryAsync();
        return db;
    }

    /// <summary>A bin directory whose pg_dump is the real one and whose pg_restore is <paramref name="pgRestore"/>.</summary>
    private string BinWith(string pgRestore)
    {
        var bin = _dir.Combine("bin");
        FakeClientTools.Write(bin, "pg_dump", $"#!/bin/sh\nexec '{Real("pg_dump")}' \"$@\"");
        FakeClientTools.Write(bin, "pg_restore", pgRestore);
        return bin;
    }

    private static BackupService Service(string bin) => new(new PostgreSqlBackupTool(new ClientToolOptions(bin), ""), TimeProvider.System);

    [Fact]
    public async Task The_verifier_reads_the_very_bytes_written_and_the_checksum_file_is_their_sha256()
    {
        await using var db = await DatabaseWithRowsAsync();
        var received = _dir.Combine("received.bin");
        var bin = BinWith($"#!/bin/sh\nif [ \"$#\" -ne 1 ] || [ \"$1\" != \"--file=/dev/null\" ]; then echo \"pg_restore: error: unexpected $*\" >&2; exit 1; fi\ncat > '{received}'\nexec '{Real("pg_restore")}' --file=/dev/null '{received}'");

        var info = await Service(bin).CreateAsync(db.Target, _dir.Combine("backups"), "base", keep: null, CancellationToken.None);

        var written = await File.ReadAllBytesAsync(info.Path);
        Assert.True(written.Length > 100_000, $"the dump is only {written.Length} bytes");
        Assert.Equal(written, await File.ReadAllBytesAsync(received));
        Assert.Equal(await BackupService.Sha256Async(info.Path, CancellationToken.None), info.Sha256);
        Assert.Equal($"{info.Sha256}  {Path.GetFileName(info.Path)}\n", await File.ReadAllTextAsync(info.ChecksumFile));
    }

    [Fact]
    public async Task A_verifier_that_stops_reading_fails_the_backup_and_leaves_no_file_behind()
    {
        await using var db = await DatabaseWithRowsAsync();
        var bin = BinWith("#!/bin/sh\nhead -c 1000 > /dev/null\necho 'pg_restore: error: could not read block' >&2\nexit 1");
        var directory = _dir.Combine("backups");

        var error = await Assert.ThrowsAsync<MigrateException>(
            () => Service(bin).CreateAsync(db.Target, directory, "base", keep: null, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.Contains("is not readable: pg_restore could not read it through (exit 1): pg_restore: error: could not read block", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public async Task A_dump_that_fails_mid_stream_leaves_no_file_counted_as_a_backup()
    {
        await using var db = await DatabaseWithRowsAsync();
        var whole = _dir.Combine("whole.dump");
        await Service(BinWith($"#!/bin/sh\nexec '{Real("pg_restore")}' \"$@\"")).CreateAtAsync(db.Target, whole, CancellationToken.None);
        var bin = _dir.Combine("cut-bin");
        FakeClientTools.Write(bin, "pg_dump", $"#!/bin/sh\nhead -c 50000 '{whole}'\necho 'pg_dump: error: connection to server lost' >&2\nexit 1");
        FakeClientTools.Write(bin, "pg_restore", $"#!/bin/sh\nexec '{Real("pg_restore")}' \"$@\"");
        var directory = _dir.Combine("cut-backups");

        var error = await Assert.ThrowsAsync<MigrateException>(
            () => Service(bin).CreateAsync(db.Target, directory, "base", keep: null, CancellationToken.None));

        Assert.Equal(FailureKind.BackupFailed, error.Kind);
        Assert.StartsWith($"pg_dump could not back up {db.Target.Display} (exit 1): pg_dump: error: connection to server lost", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public async Task Client_versions_are_asked_once_for_every_check_of_the_run()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var log = _dir.Combine("asked.log");
        var bin = _dir.Combine("counting");
        foreach (var name in new[] { "pg_dump", "pg_restore", "psql" })
        {
            FakeClientTools.Write(bin, name, $"#!/bin/sh\necho \"{name} $*\" >> '{log}'\nexec '{Real(name)}' \"$@\"");
        }

        var tool = new PostgreSqlBackupTool(new ClientToolOptions(bin), "");
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        tool.StartClientProbe();
        var first = await tool.CheckClientAsync(session, CancellationToken.None);
        var second = await tool.CheckClientAsync(session, CancellationToken.None);

        Assert.True(first.IsCompatible, string.Join(" ", first.Problems));
        Assert.Equal(first.Tools.Select(t => t.Version), second.Tools.Select(t => t.Version));
        Assert.Equal(["pg_dump --version", "pg_restore --version", "psql --version"], File.ReadAllLines(log).Order(StringComparer.Ordinal));
    }
}
