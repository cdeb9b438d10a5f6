namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>Backups through pg_dump and pg_restore.</summary>
public sealed class PostgreSqlBackupTool(ClientToolOptions options) : IBackupTool
{
    public ClientToolOptions Options { get; } = options;

    public Task<ClientToolsReport> CheckClientAsync(IDatabaseSession session, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task BackupAsync(DatabaseTarget target, string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task VerifyAsync(string path, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RestoreAsync(DatabaseTarget target, string path, CancellationToken cancellationToken) => throw new NotImplementedException();
}
