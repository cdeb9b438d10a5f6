namespace ProbeOps.Migrate.Alembic;

/// <summary>
/// An Alembic project on disk: its <c>alembic.ini</c> and the revision scripts of its versions
/// directories. Found from the directory holding <c>alembic.ini</c>, the file itself, or the
/// versions directory (then <c>alembic.ini</c> is looked for up to two levels above it).
/// </summary>
public sealed record AlembicProject(string IniFile, IReadOnlyList<string> VersionDirectories, IReadOnlyList<AlembicRevision> Revisions)
{
    public static AlembicProject Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new MigrateException(FailureKind.Usage, $"{path} does not exist: name the directory that holds alembic.ini, or its versions directory.");
        }

        var ini = FindIni(full) ?? throw new MigrateException(
            FailureKind.Usage,
            $"No alembic.ini in or above {path}: name the directory that holds alembic.ini (Alembic's offline mode needs it to write the SQL).");
        var versions = VersionDirectoriesOf(ini);
        var revisions = new List<AlembicRevision>();
        foreach (var script in versions.SelectMany(ScriptsIn).Order(StringComparer.Ordinal))
        {
            revisions.Add(AlembicScriptReader.Read(script, File.ReadAllText(script)));
        }

        if (revisions.Count == 0)
        {
            throw new MigrateException(FailureKind.InvalidMigrations, $"{string.Join(", ", versions)} holds no Alembic revision script: nothing to import.");
        }

        return new AlembicProject(ini, versions, revisions);
    }

    private static string? FindIni(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        var directory = new DirectoryInfo(path);
        for (var level = 0; level < 3 && directory is not null; level++, directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "alembic.ini");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> ScriptsIn(string directory) =>
        Directory.EnumerateFiles(directory, "*.py").Where(f => !Path.GetFileName(f).StartsWith("__", StringComparison.Ordinal));

    /// <summary><c>version_locations</c> if set, else <c>script_location/versions</c>, read from the <c>[alembic]</c> section.</summary>
    private static List<string> VersionDirectoriesOf(string ini)
    {
        var here = Path.GetDirectoryName(ini)!;
        var settings = IniSection(File.ReadAllLines(ini), "alembic");
        string Resolve(string value) => Path.GetFullPath(Path.Combine(here, value.Replace("%(here)s", here, StringComparison.Ordinal)));

        if (!settings.TryGetValue("script_location", out var scriptLocation) || scriptLocation.Length == 0)
        {
            throw new MigrateException(FailureKind.Usage, $"{ini} has no script_location in its [alembic] section.");
        }

        if (scriptLocation.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(scriptLocation) && !scriptLocation.Contains("%(here)s", StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"{ini} names its scripts as a package ({scriptLocation}): give script_location as a directory.");
        }

        var directories = settings.TryGetValue("version_locations", out var locations) && locations.Length > 0
            ? locations.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(Resolve).ToList()
            : [Path.Combine(Resolve(scriptLocation), "versions")];
        var missing = directories.FirstOrDefault(d => !Directory.Exists(d));
        return missing is null
            ? directories
            : throw new MigrateException(FailureKind.Usage, $"{missing}, the versions directory {ini} names, does not exist.");
    }

    private static Dictionary<string, string> IniSection(string[] lines, string section)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var inSection = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inSection = line.Equals($"[{section}]", StringComparison.OrdinalIgnoreCase);
            }
            else if (inSection && line.Length > 0 && line[0] is not ('#' or ';') && line.IndexOfAny(['=', ':']) is > 0 and var split)
            {
                values[line[..split].Trim()] = line[(split + 1)..].Trim();
            }
        }

        return values;
    }
}
