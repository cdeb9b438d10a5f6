using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Backups of a SQLite database through SQLite's online backup API: a consistent copy taken while
/// other connections keep working, restored the same way. No client programs are needed.
/// </summary>
public sealed class SqliteBackupTool : IBackupTool
{
    public Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken) =>
        Task.FromResult(new ClientToolsReport(session.ServerVersion, session.ServerVersionNumber / 1_000_000, [], []));

    /// <returns>False: the copy is proved afterwards, by <see cref="VerifyAsync"/>.</returns>
    public async Task<bool> BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var settings = FileSettings(target, "back up");

        // The backup API writes a database file, not a stream: it copies into a private scratch file
        // beside the backup, which then streams into the destination once and goes.
        var scratch = destinationPath + ".partial";
        PrivateFile.Create(scratch).Dispose();
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
            return false;
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

    /// <summary>
    /// Restores through a private staging copy beside the database: the backup is copied there, the audit
    /// rows the database holds now replace the backup's older copy of the log, and the staging copy then
    /// replaces the database's pages in one step of the backup API. A failure before that step changes nothing;
    /// the backup's integrity is checked whole before the first.
    /// </summary>
    public async Task RestoreAsync(IDatabaseSession session, string path, CancellationToken cancellationToken)
    {
        var sqlite = session as SqliteSession ?? throw new ArgumentException("A SQLite session is needed.", nameof(session));
        await VerifyAsync(path, cancellationToken);
        var settings = FileSettings(session.Target, "restore");
        var staging = $"{settings.DataSource}.restoring-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        try
        {
            // An empty file only its owner may read: the staging copy holds the backup's data.
            PrivateFile.Create(staging).Dispose();
            await using (var source = Open(path, SqliteOpenMode.ReadOnly))
            await using (var copy = Open(staging, SqliteOpenMode.ReadWrite))
            {
                source.BackupDatabase(copy);
                await CarryAuditOverAsync(copy, settings.DataSource, sqlite.HistorySql, cancellationToken);
            }

            await using var restored = Open(staging, SqliteOpenMode.ReadOnly);
            await using var destination = Open(settings.DataSource, SqliteOpenMode.ReadWriteCreate);

            // The backup API replaces the destination's pages under its write lock: all or nothing.
            restored.BackupDatabase(destination);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Restoring {path} over {session.Target.Display} failed: {ex.Message}; the database is unchanged.");
        }
        finally
        {
            foreach (var file in new[] { staging, staging + "-journal" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A leftover staging copy is harmless; the restore's own outcome matters more.
                }
            }
        }
    }

    /// <summary>When <paramref name="livePath"/> has an audit log, its rows replace those of the staging copy, ids and all.</summary>
    private static async Task CarryAuditOverAsync(SqliteConnection copy, string livePath, HistorySql sql, CancellationToken cancellationToken)
    {
        var audit = SqliteDialect.Instance.QuoteIdentifier(sql.History.AuditTable);
        await using var command = copy.CreateCommand();
        command.CommandText = "ATTACH DATABASE $live AS live";
        command.Parameters.AddWithValue("$live", livePath);
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.Parameters.Clear();
        command.CommandText = "SELECT count(*) FROM live.sqlite_master WHERE type = 'table' AND name = $audit";
        command.Parameters.AddWithValue("$audit", sql.History.AuditTable);
        var exists = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
        command.Parameters.Clear();
        if (exists)
        {
            // Either log may be older than the environment column: the backup's gets it, the live one's rows carry none.
            command.CommandText = $"BEGIN; {string.Join("; ", sql.CreateAuditTable().Select(s => s.Text))};";
            await command.ExecuteNonQueryAsync(cancellationToken);
            var environment = HistorySql.AuditEnvironmentColumn;
            var table = sql.History.AuditTable;
            var addColumn = await SqliteInspector.ColumnExistsAsync(copy, "main", table, environment, cancellationToken) ? "" : sql.AddAuditEnvironmentColumn().Text + "; ";
            var liveEnvironment = await SqliteInspector.ColumnExistsAsync(copy, "live", table, environment, cancellationToken) ? environment : "NULL";
            const string columns = "id, " + HistorySql.FirstAuditColumns;
            command.CommandText =
                $"{addColumn}DELETE FROM main.{audit}; " +
                $"INSERT INTO main.{audit} ({columns}, {environment}) SELECT {columns}, {liveEnvironment} FROM live.{audit} ORDER BY id; COMMIT;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        command.CommandText = "DETACH DATABASE live";
        await command.ExecuteNonQueryAsync(cancellationToken);
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
