using ProbeOps.Migrate.Code;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>An applied revision whose file changed since it was applied.</summary>
public sealed record ChecksumMismatch(string Revision, string File, string Recorded, string Current);

/// <summary>How the database's history compares with the files (SPEC §5 status, §6 step 5).</summary>
public sealed record HistoryCheck(
    IReadOnlyList<AppliedRevision> Applied,
    IReadOnlyList<AppliedRevision> Unknown,
    IReadOnlyList<ChecksumMismatch> Edited)
{
    public bool IsConsistent => Unknown.Count == 0 && Edited.Count == 0;

    /// <summary>
    /// Applied C# code revisions the graph does not hold (the command-line tool loads no code): listed, not errors.
    /// Their recorded checksum says what they are (<see cref="CodeMigrations.ChecksumPrefix"/>).
    /// </summary>
    public IReadOnlyList<AppliedRevision> Code { get; init; } = [];

    public IReadOnlySet<string> AppliedIds { get; } = Applied.Select(a => a.Revision).ToHashSet(StringComparer.Ordinal);

    public static HistoryCheck Compare(RevisionGraph graph, IReadOnlyList<AppliedRevision> applied)
    {
        var unknown = new List<AppliedRevision>();
        var code = new List<AppliedRevision>();
        var edited = new List<ChecksumMismatch>();
        foreach (var row in applied)
        {
            if (!graph.Contains(row.Revision))
            {
                (CodeMigrations.IsCodeChecksum(row.Checksum) ? code : unknown).Add(row);
                continue;
            }

            // A stamped row without a checksum cannot be compared; it is not an edit.
            var file = graph[row.Revision].File;
            if (file is not null && row.Checksum.Length > 0 && !string.Equals(row.Checksum, file.Checksum, StringComparison.Ordinal))
            {
                edited.Add(new ChecksumMismatch(row.Revision, file.Path, row.Checksum, file.Checksum));
            }
        }

        return new HistoryCheck(applied, unknown, edited) { Code = code };
    }

    /// <summary>The applied heads as the files see them, then the applied revisions the files do not know.</summary>
    public IReadOnlyList<string> AppliedHeads(RevisionGraph graph)
    {
        var known = AppliedIds.Where(graph.Contains).ToHashSet(StringComparer.Ordinal);
        var codeParents = Code.SelectMany(c => c.Parents).ToHashSet(StringComparer.Ordinal);
        var heads = graph.HeadsOf(known).Where(h => !codeParents.Contains(h)).ToList();
        heads.AddRange(Code.Select(c => c.Revision).Where(c => !codeParents.Contains(c)));
        heads.AddRange(Unknown.Select(u => u.Revision));
        return heads;
    }

    /// <summary>The heads of a history as recorded, for when the files are not at hand.</summary>
    public static IReadOnlyList<string> HeadsOfHistory(IReadOnlyList<AppliedRevision> applied)
    {
        var parents = applied.SelectMany(a => a.Parents).ToHashSet(StringComparer.Ordinal);
        return [.. applied.Select(a => a.Revision).Where(r => !parents.Contains(r))];
    }

    /// <summary>Throws (exit 3) when the history names revisions the files do not have, or files changed after they were applied.</summary>
    public void ThrowIfInconsistent()
    {
        if (IsConsistent)
        {
            return;
        }

        var parts = new List<string>();
        if (Unknown.Count > 0)
        {
            parts.Add($"applied revisions missing from the migration files: {ShortList.Join(Unknown.Select(u => u.Revision))}");
        }

        if (Edited.Count > 0)
        {
            parts.Add($"files edited after they were applied: {ShortList.Join(Edited.Select(e => Path.GetFileName(e.File)))}");
        }

        throw new MigrateException(
            FailureKind.InvalidMigrations,
            $"The database history does not match the migration files ({string.Join("; ", parts)}). Restore the files as they were applied, or add a new migration instead of editing an applied one; `probeops-migrate status` lists them all.");
    }
}
