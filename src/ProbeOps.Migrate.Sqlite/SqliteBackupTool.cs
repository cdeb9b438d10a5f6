using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Deploy;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Backups of a SQLite database through SQLite's online backup API: a consistent copy taken while
/// other connections keep working, restored the same way. No client programs are needed.
/// </summary>
public sealed class SqliteBackupTool : IBackupTool
{
    public Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken) =>
        Task.FromResult(new ClientToolsReport(session.ServerVersion, session.ServerVersionNumber / 1_000_000, [], []));

    public async Task BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var settings = FileSettings(target, "back up");

        // The backup API writes a database file, not a stream: it copies into a private scratch file
        // beside the backup, which then streams into the destination once and goes.
        var scratch = destinationPath + ".partial";
        BackupFiles.CreatePrivate(scratch).Dispose();
        try
        {
            try
            {
                await using var source = Open(settings.DataSource, SqliteOpenMode.ReadOnly);
                await using var copy = Open(scratch, SqliteOpenMode.ReadWrite);
                source.BackupDatabase(copy);
            }
            catch (SqliteException ex)
            {
                throw new MigrateException(FailureKind.BackupFailed, $"Backing up {target.Display} failed: {ex.Message}");
            }

            await using var read = new FileStream(scratch, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await read.CopyToAsync(destination, cancellationToken);
        }
        finally
        {
            BackupFiles.TryDelete(scratch);
            BackupFiles.TryDelete(scratch + "-journal");
        }
    }

    public async Task VerifyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Open(path, SqliteOpenMode.ReadOnly);
            await using var command = connection.CreateCommand();

            // Reads every page and checks each index against its table; quick_check skips the latter.
            command.CommandText = "PRAGMA integrity_check(1)";
            var result = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(result, "ok", StringComparison.Ordinal))
            {
                throw new MigrateException(FailureKind.BackupFailed, $"The backup {path} failed its integrity check: {result}.");
            }
        }
        catch (SqliteException ex)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"The backup {path} is not a readable SQLite database: {ex.Message}");
        }
    }

    public async Task RestoreAsync(DatabaseTarget target, string path, CancellationToken cancellationToken)
    {
        var settings = FileSettings(target, "restore");
        try
        {
            await using var source = Open(path, SqliteOpenMode.ReadOnly);
            await using var destination = Open(settings.DataSource, SqliteOpenMode.ReadWriteCreate);
            // The backup API replaces the destination's pages under its write lock: all or nothing.
            source.BackupDatabase(destination);
        }
        catch (SqliteException ex)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Restoring {path} over {target.Display} failed: {ex.Message}; the database is unchanged.");
        }
    }

    private static SqliteConnectionSettings FileSettings(DatabaseTarget target, string verb)
    {
        var settings = SqliteConnectionSettings.FromTarget(target);
        if (settings.IsMemory)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot {verb} an in-memory database: it lives only as long as its connection. Use --no-backup, or a sqlite:PATH database.");
        }

        return settings;
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
