namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// <c>--keep N</c>: keeps the newest N backups of one database in a backup directory and deletes the
/// rest. Only backups with a <see cref="BackupManifest"/> count, matched on the database as recorded
/// (never on a file-name prefix), ordered by the time recorded; the backup just taken is always kept.
/// </summary>
public static class BackupRetention
{
    /// <summary>Deletes the backups of <paramref name="current"/>'s database beyond the newest <paramref name="keep"/>; returns every file deleted.</summary>
    /// <param name="directory">The backup directory.</param>
    /// <param name="current">The backup just taken: it counts as one of the kept, and is never deleted.</param>
    public static IReadOnlyList<string> Prune(string directory, BackupManifest current, int keep)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFiles(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var records = entries
            .Where(f => f.EndsWith(BackupManifest.Extension, StringComparison.Ordinal))
            .Select(BackupManifest.TryRead)
            .OfType<BackupManifest>()
            .ToList();
        var stems = records.Select(r => r.Stem).ToList();
        var older = records
            .Where(r => r.Provider == current.Provider && r.Database == current.Database && r.File != current.File)
            .OrderByDescending(r => r.CreatedAt)
            .ThenByDescending(r => r.File, StringComparer.Ordinal)
            .Skip(Math.Max(keep, 1) - 1);

        var removed = new List<string>();
        foreach (var record in older)
        {
            removed.AddRange(Remove(directory, record, entries, stems));
        }

        return removed;
    }

    /// <summary>
    /// Deletes every file of one backup: each file named <c>&lt;stem&gt;.*</c> (dump, checksum, sidecars)
    /// that no longer stem claims, and the record last, so a file that would not go is retried next time.
    /// </summary>
    private static List<string> Remove(string directory, BackupManifest record, string[] entries, List<string> stems)
    {
        var recordPath = Path.Combine(directory, record.Stem + BackupManifest.Extension);
        var files = entries
            .Where(f => !string.Equals(f, recordPath, StringComparison.Ordinal) && OwnerOf(Path.GetFileName(f), stems) == record.Stem)
            .Order(StringComparer.Ordinal)
            .ToList();
        var removed = files.Where(BackupFiles.TryDelete).ToList();
        if (removed.Count == files.Count && BackupFiles.TryDelete(recordPath))
        {
            removed.Add(recordPath);
        }

        return removed;
    }

    /// <summary>The stem a file belongs to: the longest stem that, followed by a dot, starts its name.</summary>
    private static string? OwnerOf(string fileName, List<string> stems) =>
        stems.Where(s => fileName.Length > s.Length && fileName[s.Length] == '.' && fileName.StartsWith(s, StringComparison.Ordinal))
            .MaxBy(s => s.Length);
}
