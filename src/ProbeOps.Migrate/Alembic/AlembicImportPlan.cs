using System.Globalization;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Alembic;

/// <summary>One revision to write: the Alembic revision, and the file name and date it gets here.</summary>
public sealed record PlannedRevision(AlembicRevision Alembic, string FileName, string Date);

/// <summary>
/// Orders an Alembic project's revisions parents first, checking what our graph needs (ids valid and
/// unique, parents known, no cycle), and names their files: <c>YYYYMMDD_slug.sql</c>, dated by the
/// revision's <c>Create Date</c> but never before a parent (SPEC §3), the slug from the message.
/// </summary>
internal static class AlembicImportPlan
{
    public static IReadOnlyList<PlannedRevision> Make(IReadOnlyList<AlembicRevision> revisions, DateTimeOffset now)
    {
        var byId = Index(revisions);
        var dates = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<PlannedRevision>();
        foreach (var revision in ParentsFirst(revisions, byId))
        {
            var date = revision.CreateDate?.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            foreach (var parent in revision.DownRevisions)
            {
                date = date is null || string.CompareOrdinal(dates[parent], date) > 0 ? dates[parent] : date;
            }

            date ??= now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            dates[revision.Id] = date;
            var slug = RevisionFileWriter.Slug(revision.Message) is { Length: > 0 } fromMessage ? fromMessage : IdSlug(revision.Id);
            var name = $"{date}_{slug}.sql";
            if (!names.Add(name))
            {
                name = $"{date}_{slug}_{IdSlug(revision.Id)}.sql";
                names.Add(name);
            }

            planned.Add(new PlannedRevision(revision, name, date));
        }

        return planned;
    }

    private static string IdSlug(string id) => RevisionFileWriter.Slug(id) is { Length: > 0 } slug ? slug : "revision";

    private static Dictionary<string, AlembicRevision> Index(IReadOnlyList<AlembicRevision> revisions)
    {
        var byId = new Dictionary<string, AlembicRevision>(StringComparer.Ordinal);
        foreach (var revision in revisions)
        {
            if (MigrationNames.RevisionIdProblem(revision.Id) is { } problem)
            {
                throw Invalid($"{revision.SourceFile}: revision id '{MigrationNames.Shorten(revision.Id)}' {problem}.");
            }

            if (!byId.TryAdd(revision.Id, revision))
            {
                throw Invalid($"{byId[revision.Id].SourceFile} and {revision.SourceFile} both claim revision {revision.Id}.");
            }
        }

        foreach (var revision in revisions)
        {
            if (revision.DownRevisions.FirstOrDefault(p => !byId.ContainsKey(p)) is { } unknown)
            {
                throw Invalid($"{revision.SourceFile}: down_revision {unknown} names no revision of the project.");
            }
        }

        return byId;
    }

    /// <summary>Parents before children; among revisions ready at once, by id, so the result never depends on directory order.</summary>
    private static List<AlembicRevision> ParentsFirst(IReadOnlyList<AlembicRevision> revisions, Dictionary<string, AlembicRevision> byId)
    {
        var waiting = revisions.ToDictionary(r => r.Id, r => r.DownRevisions.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var children = revisions.SelectMany(r => r.DownRevisions.Distinct(StringComparer.Ordinal).Select(p => (Parent: p, Child: r.Id)))
            .ToLookup(e => e.Parent, e => e.Child, StringComparer.Ordinal);
        var ready = new SortedSet<string>(waiting.Where(w => w.Value == 0).Select(w => w.Key), StringComparer.Ordinal);
        var ordered = new List<AlembicRevision>();
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            ordered.Add(byId[next]);
            foreach (var child in children[next])
            {
                if (--waiting[child] == 0)
                {
                    ready.Add(child);
                }
            }
        }

        if (ordered.Count < revisions.Count)
        {
            var stuck = revisions.Where(r => waiting[r.Id] > 0).Select(r => r.Id);
            throw Invalid($"The Alembic revisions {string.Join(", ", stuck)} are their own ancestors (a cycle): Alembic cannot run them either.");
        }

        return ordered;
    }

    private static MigrateException Invalid(string message) => new(FailureKind.InvalidMigrations, message);
}
