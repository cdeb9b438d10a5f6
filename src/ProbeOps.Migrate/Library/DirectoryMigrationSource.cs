using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate;

/// <summary>The <c>.sql</c> files of a directory, and its <c>repeatable/</c> folder (a relative path is resolved against the current directory).</summary>
public sealed class DirectoryMigrationSource(string directory) : MigrationSource
{
    public string Directory { get; } = Path.GetFullPath(directory ?? throw new ArgumentNullException(nameof(directory)));

    public override string Description => Directory;

    public override string? DirectoryOnDisk => Directory;

    public override void WriteTo(string directory, Action<string> claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        CopyFolder(Directory, directory, "", claim);
        CopyFolder(Path.Combine(Directory, RepeatableMigration.Folder), Path.Combine(directory, RepeatableMigration.Folder), RepeatableMigration.Folder + "/", claim);
    }

    private static void CopyFolder(string from, string to, string prefix, Action<string> claim)
    {
        if (!System.IO.Directory.Exists(from))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.EnumerateFiles(from, "*.sql"))
        {
            var name = Path.GetFileName(file);
            claim(prefix + name);
            File.Copy(file, Path.Combine(to, name));
        }
    }
}
