using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Graph;

namespace ProbeOps.Migrate.Commands;

/// <summary><c>new</c> and <c>merge</c>: write a revision file whose parents are the head, or the heads to join.</summary>
public sealed class RevisionFileWriter(GraphLoader graphs, string migrationsDirectory, TimeProvider time)
{
    /// <summary>Writes <c>YYYYMMDD_slug.sql</c> whose parent is the current head.</summary>
    public NewRevisionResult New(string message)
    {
        var graph = graphs.Load(allowMultipleHeads: true);
        var heads = graph.Heads;
        if (heads.Count > 1)
        {
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"There are {heads.Count} heads ({ShortList.Join(heads.Select(h => h.Id))}): join them first with `probeops-migrate merge -m \"...\"`.");
        }

        return WriteRevision(message, [.. heads.Select(h => h.Id)], isMerge: false);
    }

    /// <summary>Writes a merge revision whose parents are <paramref name="revisions"/> (default: every head).</summary>
    public NewRevisionResult Merge(string message, IReadOnlyList<string> revisions)
    {
        var graph = graphs.Load(allowMultipleHeads: true);
        var parents = revisions.Count == 0
            ? graph.Heads.Select(h => h.Id).ToList()
            : revisions.Select(r => ResolveExisting(graph, r)).Distinct(StringComparer.Ordinal).ToList();
        if (parents.Count < 2)
        {
            throw new MigrateException(
                FailureKind.Usage,
                revisions.Count == 0
                    ? "There is only one head: nothing to merge."
                    : "A merge needs at least two different revisions.");
        }

        return WriteRevision(message, parents, isMerge: true);
    }

    internal static string ResolveExisting(RevisionGraph graph, string revision)
    {
        var target = TargetResolver.Resolve(graph, revision, new HashSet<string>(StringComparer.Ordinal));
        return target.RevisionId ?? throw new MigrateException(FailureKind.Usage, $"'{revision}' is not a single revision.");
    }

    private NewRevisionResult WriteRevision(string message, IReadOnlyList<string> parents, bool isMerge)
    {
        var slug = Slug(message);
        if (slug.Length == 0)
        {
            throw new MigrateException(FailureKind.Usage, "The message needs at least one letter or digit: it names the file.");
        }

        // A revision is never dated before its parents (SPEC §3), even when a parent was written on a clock ahead of ours.
        var date = time.GetUtcNow().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        foreach (var parent in parents)
        {
            if (parent.Length >= 8 && !parent.AsSpan(0, 8).ContainsAnyExceptInRange('0', '9') && string.CompareOrdinal(parent[..8], date) > 0)
            {
                date = parent[..8];
            }
        }

        var revision = $"{date}_{slug}";
        var path = Path.Combine(migrationsDirectory, revision + ".sql");
        if (File.Exists(path))
        {
            throw new MigrateException(FailureKind.Usage, $"{path} exists already: choose another message.");
        }

        var text = new StringBuilder()
            .Append("-- revision: ").Append(revision).Append('\n')
            .Append("-- down_revision: ").Append(parents.Count == 0 ? "none" : string.Join(", ", parents)).Append('\n')
            .Append("-- message: ").Append(OneLine(message)).Append('\n')
            .Append('\n')
            .Append("-- migrate:upgrade\n")
            .Append(isMerge ? "-- A merge joins branches; it may hold SQL that reconciles them.\n" : "-- Write the schema change here.\n")
            .Append('\n')
            .Append("-- migrate:downgrade\n")
            .Append(isMerge ? "" : "-- Write the SQL that undoes it here, or delete this section if it cannot be undone.\n")
            .ToString();
        try
        {
            Directory.CreateDirectory(migrationsDirectory);
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes(text));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrateException(FailureKind.Usage, $"Cannot write {path}: {ex.Message}");
        }

        return new NewRevisionResult(revision, path, parents);
    }

    /// <summary>Lower-case words joined by <c>_</c>, at most 60 characters: the file name convention of SPEC §2.</summary>
    public static string Slug(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var c in message.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var slug = builder.ToString().Trim('_');
        return slug.Length <= 60 ? slug : slug[..60].TrimEnd('_');
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
