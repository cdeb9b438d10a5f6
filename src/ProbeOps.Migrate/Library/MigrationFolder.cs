namespace ProbeOps.Migrate;

/// <summary>
/// The one directory the migration engine reads: a lone directory source as it is, else a private temporary
/// directory every source writes its files into, deleted when the folder is disposed.
/// </summary>
internal sealed class MigrationFolder : IDisposable
{
    private readonly bool _temporary;

    private MigrationFolder(string path, bool temporary)
    {
        Path = path;
        _temporary = temporary;
    }

    public string Path { get; }

    public static MigrationFolder Of(IReadOnlyList<MigrationSource> sources)
    {
        if (sources.Count == 0)
        {
            throw new MigrateException(
                FailureKind.Usage,
                "No migrations given: add a source with FromDirectory(\"migrations\") or FromEmbeddedResources(typeof(Program).Assembly).");
        }

        if (sources is [{ DirectoryOnDisk: { } directory }])
        {
            return new MigrationFolder(directory, temporary: false);
        }

        var temporary = Directory.CreateTempSubdirectory("probeops-migrate-").FullName;
        try
        {
            var claimed = new Dictionary<string, MigrationSource>(StringComparer.OrdinalIgnoreCase);
            foreach (var source in sources)
            {
                source.WriteTo(temporary, path =>
                {
                    if (!claimed.TryAdd(path, source))
                    {
                        throw new MigrateException(
                            FailureKind.InvalidMigrations,
                            $"The migration {path} is given twice, by {claimed[path].Description} and by {source.Description}: keep one.");
                    }
                });
            }
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }

        return new MigrationFolder(temporary, temporary: true);
    }

    public void Dispose()
    {
        if (_temporary && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
