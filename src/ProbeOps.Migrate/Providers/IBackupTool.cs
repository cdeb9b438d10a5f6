namespace ProbeOps.Migrate.Providers;

/// <summary>Where a provider looks for its client programs (<c>pg_dump</c>, <c>pg_restore</c>, <c>psql</c>).</summary>
/// <param name="BinDirectory">Looked in first; then PATH.</param>
public sealed record ClientToolOptions(string? BinDirectory);

/// <summary>A client program found on this machine, with the version it reports.</summary>
public sealed record ClientTool(string Name, string Path, string Version, int Major);

/// <summary>The client programs a provider needs and what was found.</summary>
/// <param name="ServerVersion">The server's version as it reports it.</param>
/// <param name="ServerMajor">The server's major version (e.g. 15).</param>
/// <param name="Tools">The programs found.</param>
/// <param name="Problems">Missing or too-old programs, each a sentence naming the fix; empty when compatible.</param>
public sealed record ClientToolsReport(string ServerVersion, int ServerMajor, IReadOnlyList<ClientTool> Tools, IReadOnlyList<string> Problems)
{
    public bool IsCompatible => Problems.Count == 0;
}

/// <summary>
/// Takes, verifies and restores backups of one kind of database. The engine around it names the
/// file, creates it with mode 0600, hashes what is written, writes the checksum beside it and
/// applies retention.
/// </summary>
public interface IBackupTool
{
    /// <summary>
    /// Starts, in the background, whatever <see cref="CheckClientAsync"/> asks of the client programs (their
    /// versions), so they answer while the connection is made; the tool keeps the answers for the run.
    /// </summary>
    void StartClientProbe()
    {
    }

    /// <summary>Checks that the client programs can back up and restore this server (SPEC §6 step 3).</summary>
    Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a full backup of <paramref name="target"/> into <paramref name="destination"/>, from its
    /// first byte to its last. Throws <see cref="MigrateException"/> (BackupFailed), or the
    /// <see cref="IOException"/> of a write that failed.
    /// </summary>
    /// <param name="destinationPath">The file behind <paramref name="destination"/>: a tool that needs a scratch file names it after this one, beside it, and removes it. Never opened by the tool.</param>
    /// <returns>
    /// True when the tool proved the backup whole and readable as it was written, reading every byte it wrote
    /// as <see cref="VerifyAsync"/> would (then that is not needed); false leaves the proof to <see cref="VerifyAsync"/>.
    /// </returns>
    Task<bool> BackupAsync(DatabaseTarget target, Stream destination, string destinationPath, CancellationToken cancellationToken);

    /// <summary>
    /// Proves the file is a whole, readable backup by reading all of it back, every data block, not
    /// only its table of contents (PostgreSQL: <c>pg_restore</c> to nowhere; SQLite: a full integrity
    /// check). Throws <see cref="MigrateException"/> (BackupFailed).
    /// </summary>
    Task VerifyAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Restores <paramref name="path"/> over the session's database, all or nothing: afterwards its schema and
    /// data are the backup's, objects created since included (they are gone), except the audit log, which keeps
    /// every row it held before the restore (SPEC §5). The session holds the migration lock and no transaction,
    /// and serves the caller again afterwards. A backup that cannot be read through restores nothing: the tool
    /// reads all of it before anything is committed. Throws <see cref="MigrateException"/> (BackupFailed), the
    /// database unchanged.
    /// </summary>
    Task RestoreAsync(IDatabaseSession session, string path, CancellationToken cancellationToken);
}
