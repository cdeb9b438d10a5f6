using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The schema of a database when a backup of it was taken, kept beside the backup as
/// <c>&lt;backup stem&gt;.schema.json</c> (the format of <see cref="SchemaJson"/>), so <c>restore</c> can
/// prove that the schema it restored is the backup's.
/// </summary>
public static class BackupSchemaFile
{
    public const string Extension = ".schema.json";

    /// <summary><c>backups/app_20250514T093000Z_rev.dump</c> → <c>backups/app_20250514T093000Z_rev.schema.json</c>.</summary>
    public static string PathFor(string backupPath)
    {
        ArgumentNullException.ThrowIfNull(backupPath);
        return Path.Combine(Path.GetDirectoryName(backupPath) ?? "", Path.GetFileNameWithoutExtension(backupPath) + Extension);
    }

    /// <summary>
    /// Reads the session's schema as the file beside a backup records it; call it under the same migration lock
    /// as the backup. Null when the provider cannot read schemas.
    /// </summary>
    public static async Task<SchemaSnapshot?> ReadAsync(IDatabaseSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.SchemaReader is not { } inspector)
        {
            return null;
        }

        var read = await inspector.ReadAsync(new SchemaReadOptions(), cancellationToken);
        return new SchemaSnapshot
        {
            Format = SchemaSnapshot.FormatName,
            Version = SchemaSnapshot.CurrentVersion,
            Tool = ToolInfo.Version,
            ServerVersion = session.ServerVersion,
            Schema = read.Schema,
        };
    }

    /// <summary>
    /// Writes <paramref name="snapshot"/> beside the backup just taken. Returns the file.
    /// Throws <see cref="MigrateException"/> (BackupFailed) when the file cannot be written.
    /// </summary>
    public static string Write(SchemaSnapshot snapshot, string backupPath)
    {
        var path = PathFor(backupPath);
        try
        {
            // A stale file of this name describes no backup that exists now; this one is private like the dump.
            BackupFiles.TryDelete(path);
            var bytes = SchemaJson.WriteUtf8(snapshot);
            BackupFiles.WritePrivate(path, stream => stream.Write(bytes));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot write {path}, the schema recorded beside the backup: {BackupFiles.Describe(ex)}.");
        }

        return path;
    }

    /// <summary>
    /// The schema recorded beside <paramref name="backupPath"/>; null when there is none (a backup taken by
    /// hand or by an older version). Throws <see cref="MigrateException"/> (BackupFailed) when it cannot be read.
    /// </summary>
    public static SchemaSnapshot? Read(string backupPath)
    {
        var path = PathFor(backupPath);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return SchemaJson.Read(File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is MigrateException or IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.BackupFailed, $"Cannot read {path}, the schema recorded beside the backup: {ex.Message} Nothing was restored.");
        }
    }
}
