using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Graph;

public sealed record GraphValidationOptions(bool AllowMultipleHeads = false);

/// <summary>The outcome of validation: the graph when one could be built, and every finding.</summary>
public sealed record GraphValidationResult(RevisionGraph? Graph, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>Checks every rule of SPEC §3 over a set of files and reports all problems, not only the first.</summary>
public static class GraphValidator
{
    private const string MergeHint = "run `probeops-migrate merge -m \"...\"` to join them";

    /// <summary>
    /// Returns the set's own diagnostics plus every graph problem, sorted by file, line and code.
    /// The graph is null when any graph rule fails; an empty directory gives an empty graph and a warning.
    /// </summary>
    public static GraphValidationResult Validate(MigrationSet set, GraphValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(options);

        var diagnostics = new List<Diagnostic>(set.Diagnostics);
        if (set.Files.Count == 0)
        {
            if (set.HasErrors)
            {
                return new GraphValidationResult(null, Sort(diagnostics));
            }

            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.EmptyDirectory, $"no migration files in {set.Directory}"));
            return new GraphValidationResult(RevisionGraph.Empty, Sort(diagnostics));
        }

        var graphProblems = new List<Diagnostic>();
        var failedIds = FailedFileIds(set);

        // Sorting by path makes "the first file claiming an id" independent of read order.
        var files = set.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var byId = new Dictionary<string, MigrationFile>(files.Count, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!byId.TryAdd(file.Revision, file))
            {
                var first = byId[file.Revision];
                graphProblems.Add(Diagnostic.Error(
                    DiagnosticCodes.DuplicateRevision,
                    $"revision '{file.Revision}' is claimed by both {first.FileName} and {file.FileName}; give each file its own id",
                    file.Path,
                    file.RevisionLine));
            }
        }

        var unique = files.Where(f => ReferenceEquals(byId[f.Revision], f)).ToList();
        var parentsOf = new Dictionary<string, List<string>>(unique.Count, StringComparer.Ordinal);
        var children = unique.ToDictionary(f => f.Revision, _ => 0, StringComparer.Ordinal);
        var parentMissing = false;
        var codeRegistered = files.Any(f => f.IsCode);
        foreach (var file in unique)
        {
            var known = new List<string>(file.DownRevisions.Count);
            foreach (var parent in RevisionGraph.DistinctParents(Revision.From(file)))
            {
                if (byId.ContainsKey(parent))
                {
                    known.Add(parent);
                    children[parent]++;
                    continue;
                }

                parentMissing = true;
                if (!failedIds.Contains(parent))
                {
                    graphProblems.Add(Diagnostic.Error(
                        DiagnosticCodes.MissingParent,
                        $"down_revision names unknown revision '{parent}'{(Suggest(parent, byId.Keys.Where(id => id != file.Revision)) is { Length: > 0 } hint ? hint : CodeHint(parent, codeRegistered))}",
                        file.Path,
                        file.DownRevisionLine));
                }
            }

            parentsOf[file.Revision] = known;
        }

        // A file that failed to parse may well be the missing base or merge: say nothing rather than guess.
        var anyFileFailed = failedIds.Count > 0;
        CheckBases(unique, anyFileFailed, graphProblems);
        CheckCycles(byId, parentsOf, graphProblems);
        if (!options.AllowMultipleHeads && !anyFileFailed)
        {
            CheckHeads(unique, children, graphProblems);
        }

        CheckDateOrder(unique, parentsOf, byId, graphProblems);

        diagnostics.AddRange(graphProblems);
        var graph = graphProblems.Any(d => d.IsError) || parentMissing
            ? null
            : RevisionGraph.Create(unique.Select(Revision.From));
        return new GraphValidationResult(graph, Sort(diagnostics));
    }

    private static void CheckBases(List<MigrationFile> unique, bool anyFileFailed, List<Diagnostic> problems)
    {
        var bases = unique.Where(f => f.IsBase).ToList();
        if (bases.Count == 0 && !anyFileFailed)
        {
            problems.Add(Diagnostic.Error(
                DiagnosticCodes.NoBase,
                "no base revision: exactly one file must have `down_revision: none`"));
        }
        else if (bases.Count > 1)
        {
            // Reported on the newest base: the older one is usually the real start of the chain.
            var names = ShortList.Join(bases.Select(f => $"{f.Revision} ({f.FileName})"));
            var newest = bases[^1];
            problems.Add(Diagnostic.Error(
                DiagnosticCodes.MultipleBases,
                $"several base revisions: {names}; exactly one file may have `down_revision: none`",
                newest.Path,
                newest.DownRevisionLine) with { Revisions = [.. bases.Select(f => f.Revision)] });
        }
    }

    // Kahn's algorithm over the known links; whatever it cannot place lies on or below a cycle.
    private static void CheckCycles(
        Dictionary<string, MigrationFile> byId,
        Dictionary<string, List<string>> parentsOf,
        List<Diagnostic> problems)
    {
        var pending = parentsOf.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal);
        var childrenOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, parents) in parentsOf)
        {
            foreach (var parent in parents)
            {
                if (!childrenOf.TryGetValue(parent, out var list))
                {
                    childrenOf[parent] = list = [];
                }

                list.Add(id);
            }
        }

        var ready = new Stack<string>(pending.Where(p => p.Value == 0).Select(p => p.Key));
        var placed = 0;
        while (ready.TryPop(out var id))
        {
            placed++;
            foreach (var child in childrenOf.GetValueOrDefault(id) ?? [])
            {
                if (--pending[child] == 0)
                {
                    ready.Push(child);
                }
            }
        }

        if (placed == pending.Count)
        {
            return;
        }

        // Each unplaced revision keeps an unplaced parent, so a walk along those parents ends on a
        // cycle. Walks stop where an earlier walk passed, so each cycle is reported once.
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in pending.Where(p => p.Value > 0).Select(p => p.Key).Order(StringComparer.Ordinal))
        {
            if (done.Contains(start))
            {
                continue;
            }

            var walked = new List<string>();
            var cycle = CycleFinder.Find(start, id =>
            {
                walked.Add(id);
                var next = parentsOf[id].First(p => pending[p] > 0);
                return done.Contains(next) ? null : next;
            });
            done.UnionWith(walked);
            if (cycle is null)
            {
                continue;
            }

            var file = byId[cycle[0]];
            problems.Add(Diagnostic.Error(
                DiagnosticCodes.Cycle,
                $"down_revision cycle: {ShortList.Join(cycle, " -> ")}; a revision cannot be its own ancestor",
                file.Path,
                file.DownRevisionLine) with { Revisions = cycle });
        }
    }

    private static void CheckHeads(List<MigrationFile> unique, Dictionary<string, int> children, List<Diagnostic> problems)
    {
        var heads = unique.Where(f => children[f.Revision] == 0).ToList();
        if (heads.Count < 2)
        {
            return;
        }

        var names = heads.Select(f => f.Revision).Order(StringComparer.Ordinal).ToList();
        var newest = heads[^1];
        problems.Add(Diagnostic.Error(
            DiagnosticCodes.MultipleHeads,
            $"several heads: {ShortList.Join(names)}; {MergeHint}",
            newest.Path,
            newest.RevisionLine) with { Revisions = names });
    }

    private static void CheckDateOrder(
        List<MigrationFile> unique,
        Dictionary<string, List<string>> parentsOf,
        Dictionary<string, MigrationFile> byId,
        List<Diagnostic> problems)
    {
        foreach (var file in unique)
        {
            if (DatePrefix(file.FileName) is not { } date)
            {
                continue;
            }

            foreach (var parentId in parentsOf[file.Revision])
            {
                var parent = byId[parentId];
                if (DatePrefix(parent.FileName) is { } parentDate && string.CompareOrdinal(date, parentDate) < 0)
                {
                    problems.Add(Diagnostic.Error(
                        DiagnosticCodes.DateOrder,
                        $"{file.FileName} is dated {date}, earlier than its parent {parent.FileName} ({parentDate}); rename it with a later date",
                        file.Path,
                        file.DownRevisionLine));
                }
            }
        }
    }

    /// <summary>The leading <c>YYYYMMDD</c> of a file name, or null when it has none.</summary>
    internal static string? DatePrefix(string fileName)
    {
        if (fileName.Length < 8)
        {
            return null;
        }

        for (var i = 0; i < 8; i++)
        {
            if (!char.IsAsciiDigit(fileName[i]))
            {
                return null;
            }
        }

        return fileName[..8];
    }

    // Ids of files that did not parse (the id a file's header claims, else its file name): a reference to one
    // is not news, and suggesting another id for it would be wrong.
    private static HashSet<string> FailedFileIds(MigrationSet set)
    {
        var parsed = new HashSet<string>(set.Files.Select(f => f.Path), StringComparer.Ordinal);
        var ids = new HashSet<string>(set.FailedFiles.Select(f => f.Revision).OfType<string>(), StringComparer.Ordinal);
        foreach (var diagnostic in set.Diagnostics)
        {
            if (diagnostic.IsError && diagnostic.File is { } path && !parsed.Contains(path))
            {
                var name = Path.GetFileName(path);
                ids.Add(name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name);
            }
        }

        return ids;
    }

    /// <summary>
    /// Without registered code revisions (the command-line tool has none), a missing parent named like a revision
    /// may be a C# code migration: say who can run it.
    /// </summary>
    private static string CodeHint(string parent, bool codeRegistered) =>
        codeRegistered || DatePrefix(parent) is null
            ? ""
            : "; if it is a C# code migration, only the application that embeds the library can load and run it";

    /// <summary>" (did you mean 'x'?)" for the closest known id, or "" when none is close.</summary>
    internal static string Suggest(string missing, IEnumerable<string> known)
    {
        var threshold = Math.Max(2, missing.Length / 4);
        string? best = null;
        var bestDistance = int.MaxValue;
        var prefixMatches = new List<string>();
        foreach (var id in known)
        {
            if (id.StartsWith(missing, StringComparison.Ordinal) || missing.StartsWith(id, StringComparison.Ordinal))
            {
                prefixMatches.Add(id);
            }

            if (Math.Abs(id.Length - missing.Length) > threshold)
            {
                continue;
            }

            var distance = EditDistance(missing, id);
            if (distance <= threshold
                && (distance < bestDistance || (distance == bestDistance && string.CompareOrdinal(id, best) < 0)))
            {
                best = id;
                bestDistance = distance;
            }
        }

        best ??= prefixMatches.Count == 1 ? prefixMatches[0] : null;
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static List<Diagnostic> Sort(List<Diagnostic> diagnostics) =>
        [.. diagnostics
            .OrderBy(d => d.File, StringComparer.Ordinal)
            .ThenBy(d => d.Line ?? 0)
            .ThenBy(d => d.Code, StringComparer.Ordinal)];
}
