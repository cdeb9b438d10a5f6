using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

/// <summary>A temporary directory for real SQLite files, deleted with everything in it.</summary>
public sealed class SqliteTestDirectory : IDisposable
{
    public SqliteTestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "probeops-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public SqliteProvider Provider { get; } = new();

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public DatabaseTarget Target(string name = "app.db") => Provider.TryParse("sqlite:" + File(name))!;

    public async Task<IDatabaseSession> OpenAsync(string name = "app.db", SessionOptions? options = null) =>
        await Provider.OpenSessionAsync(Target(name), options ?? SessionOptions.Default, CancellationToken.None);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp directory is cleaned by the OS eventually.
        }
    }
}
