using System.IO.Enumeration;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>Reads every <c>*.sql</c> migration file of a directory.</summary>
/// <remarks>
/// Only the top level is read (and <c>repeatable/</c>, the repeatable migrations), and <c>.sql</c> matches in any case, so <c>X.SQL</c> is reported by the file-name
/// rule instead of being skipped. Hidden files (name starting with <c>.</c>, such as editor or macOS
/// <c>._</c> companions) are skipped. Files are parsed in parallel; results keep the ordinal order of the names.
/// </remarks>
public static class MigrationDirectory
{
    private static readonly EnumerationOptions TopLevelSqlFiles = new()
    {
        RecurseSubdirectories = false,
        MatchCasing = MatchCasing.CaseInsensitive,
        MatchType = MatchType.Simple,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
    };

    /// <summary>
    /// Loads and parses the directory for a database that speaks <paramref name="dialect"/>; a missing or
    /// unreadable directory is a diagnostic, not an exception. With a <paramref name="cache"/>, files whose stamp it
    /// knows are not read (<see cref="FileStatCache"/>).
    /// </summary>
    public static MigrationSet Load(string directory, ISqlDialect dialect, FileStatCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(dialect);
        if (!Directory.Exists(directory))
        {
            return Failed(directory, File.Exists(directory)
                ? $"migrations directory `{directory}` is a file, not a directory"
                : $"migrations directory `{directory}` does not exist; create it or point --migrations at the right place");
        }

        if (SqlFiles(directory, out var problem) is not { } paths)
        {
            return Failed(directory, $"cannot read migrations directory `{directory}`: {problem}");
        }

        string? cacheHash = null;
        var results = cache is null ? ReadAndParse(paths, dialect) : new StatCachedReader(cache, dialect).Read(paths, out cacheHash);

        var files = new List<MigrationFile>(paths.Length);
        var failed = new List<FailedFile>();
        var diagnostics = new List<Diagnostic>();
        for (var i = 0; i < results.Length; i++)
        {
            var result = results[i];
            if (result.File is not null)
                files.Add(result.File);
            else
                failed.Add(new FailedFile(paths[i], result.Revision));
            diagnostics.AddRange(result.Diagnostics);
        }

        return new MigrationSet(directory, files, diagnostics)
        {
            FailedFiles = failed, Repeatables = LoadRepeatables(directory, dialect, diagnostics), CacheHash = cacheHash,
        };
    }

    /// <summary>
    /// The directory as its last full read left it, when every file's stamp still matches <paramref name="cache"/> and that
    /// read found the graph valid (<see cref="GraphVerdict"/>); null otherwise. Reads no migration file: only the directory,
    /// each file's stamp and the repeatable migrations, which are returned as read now, placeholders replaced with
    /// <paramref name="placeholders"/> (null when one has a finding: the full read reports it).
    /// </summary>
    internal static FilesSnapshot? Unchanged(string directory, ISqlDialect dialect, FileStatCache cache, PlaceholderValues placeholders)
    {
        if (!Directory.Exists(directory) || SqlFileNames(directory, out _) is not { Length: > 0 } names)
            return null;
        if (cache.TrustedHash(directory, names) is not { } cacheHash || cache.ReadVerdict(cacheHash) is not { } verdict)
            return null;
        var diagnostics = new List<Diagnostic>();
        var repeatables = MigrationPlaceholders.Apply(
            new MigrationSet(directory, [], diagnostics) { Repeatables = LoadRepeatables(directory, dialect, diagnostics) }, dialect, placeholders);
        return repeatables.Diagnostics.Count == 0
            ? new FilesSnapshot(directory, verdict.Revisions, verdict.Digest, verdict.Heads, repeatables.Repeatables)
            : null;
    }

    /// <summary>The repeatable migrations of <c>repeatable/</c> (none when the folder is absent), in file-name order.</summary>
    private static List<RepeatableMigration> LoadRepeatables(string directory, ISqlDialect dialect, List<Diagnostic> diagnostics)
    {
        var folder = Path.Combine(directory, RepeatableMigration.Folder);
        var repeatables = new List<RepeatableMigration>();
        if (!Directory.Exists(folder))
        {
            return repeatables;
        }

        if (SqlFiles(folder, out var problem) is not { } paths)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read repeatable migrations in `{folder}`: {problem}", folder));
            return repeatables;
        }

        foreach (var path in paths)
        {
            var result = ReadBytes(path, out var bytes) is { } unreadable
                ? new RepeatableParseResult(null, [unreadable])
                : RepeatableFileParser.Parse(path, bytes, dialect);
            if (result.Repeatable is { } repeatable)
                repeatables.Add(repeatable);
            diagnostics.AddRange(result.Diagnostics);
        }

        return repeatables;
    }

    /// <summary>The visible top-level <c>.sql</c> files of <paramref name="directory"/> sorted by name, or null when it cannot be read.</summary>
    private static string[]? SqlFiles(string directory, out string? problem) =>
        SqlFileNames(directory, out problem) is { } names ? Array.ConvertAll(names, name => Path.Join(directory, name)) : null;

    /// <summary>The names of <see cref="SqlFiles"/>, sorted.</summary>
    private static string[]? SqlFileNames(string directory, out string? problem)
    {
        problem = null;
        string[] names;
        try
        {
            // Names, sorted before any is joined into a path: 10,000 paths with their long common prefix sort several times slower.
            names = [.. new FileSystemEnumerable<string>(directory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), TopLevelSqlFiles)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                    !entry.IsDirectory && !entry.FileName.StartsWith('.') && FileSystemName.MatchesSimpleExpression("*.sql", entry.FileName),
            }];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            problem = e.Message;
            return null;
        }

        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    private static MigrationFileParseResult[] ReadAndParse(string[] paths, ISqlDialect dialect)
    {
        var results = new MigrationFileParseResult[paths.Length];
        Parallel.For(0, paths.Length, i => results[i] = ReadBytes(paths[i], out var bytes) is { } unreadable
            ? new MigrationFileParseResult(null, [unreadable])
            : MigrationFileParser.Parse(paths[i], bytes, dialect));
        return results;
    }

    /// <summary>Reads a file; returns the finding when it cannot be read.</summary>
    internal static Diagnostic? ReadBytes(string path, out byte[] bytes)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            bytes = [];
            return Diagnostic.Error(DiagnosticCodes.UnreadableFile, $"cannot read file: {e.Message}", path);
        }
    }

    private static MigrationSet Failed(string directory, string message) =>
        new(directory, [], [Diagnostic.Error(DiagnosticCodes.UnreadableFile, message, directory)]);
}
