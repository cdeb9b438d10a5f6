using System.Reflection;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate;

/// <summary>
/// The <c>.sql</c> files embedded in an assembly from one folder of its project (<c>&lt;EmbeddedResource Include="migrations/**/*.sql" /&gt;</c>),
/// so an app ships its migrations inside itself. A resource name is the project's root namespace, the folder path with
/// <c>.</c> for <c>/</c>, and the file name: <c>MyApp.migrations.20250101_create_users.sql</c>,
/// <c>MyApp.migrations.repeatable.views.sql</c>.
/// </summary>
public sealed class EmbeddedMigrationSource : MigrationSource
{
    private readonly Assembly _assembly;
    private readonly string _marker;

    /// <param name="assembly">The assembly the files are embedded in.</param>
    /// <param name="folder">The folder of the project that holds them (<c>migrations</c>, <c>Data/Migrations</c>).</param>
    public EmbeddedMigrationSource(Assembly assembly, string folder = "migrations")
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _assembly = assembly;
        Folder = folder.Trim('/', '\\');
        _marker = "." + Folder.Replace('/', '.').Replace('\\', '.') + ".";
    }

    public string Folder { get; }

    public override string Description => $"{Folder}/ embedded in {_assembly.GetName().Name}";

    /// <summary>The relative paths of the embedded files, by resource name; files of deeper folders are not migrations and are left out.</summary>
    public IReadOnlyDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in _assembly.GetManifestResourceNames())
        {
            if (RelativePath(resource) is { } path)
            {
                files[resource] = path;
            }
        }

        return files;
    }

    public override void WriteTo(string directory, Action<string> claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        foreach (var (resource, path) in Files())
        {
            claim(path);
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var input = _assembly.GetManifestResourceStream(resource)
                ?? throw new MigrateException(FailureKind.InvalidMigrations, $"The embedded migration {resource} cannot be read.");
            using var output = File.Create(target);
            input.CopyTo(output);
        }
    }

    /// <summary><c>name.sql</c> or <c>repeatable/name.sql</c> for a resource of the folder; null for any other resource.</summary>
    private string? RelativePath(string resource)
    {
        var at = resource.IndexOf(_marker, StringComparison.Ordinal);
        if (at < 0 || !resource.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = resource[(at + _marker.Length)..];
        var stem = rest[..^".sql".Length];
        const string repeatable = RepeatableMigration.Folder + ".";
        if (stem.StartsWith(repeatable, StringComparison.Ordinal) && !stem[repeatable.Length..].Contains('.', StringComparison.Ordinal))
        {
            return RepeatableMigration.Folder + "/" + rest[repeatable.Length..];
        }

        return stem.Contains('.', StringComparison.Ordinal) ? null : rest;
    }
}
