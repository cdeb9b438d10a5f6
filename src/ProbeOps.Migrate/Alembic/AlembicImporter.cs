using System.Text;
using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Alembic;

/// <summary>One revision written by <c>import-alembic</c>.</summary>
public sealed record ImportedRevision(string Revision, string File, IReadOnlyList<string> DownRevisions, string Message, string Source, bool Reversible);

/// <summary>What <c>import-alembic</c> wrote: every file, and what could not be carried over (a downgrade Alembic could not write).</summary>
public sealed record AlembicImportResult(string Project, string MigrationsDirectory, IReadOnlyList<ImportedRevision> Revisions, IReadOnlyList<string> Warnings);

/// <summary>
/// <c>import-alembic DIR</c> (SPEC §13): reads the project's revision scripts as text, gets each
/// revision's SQL from Alembic's offline mode, and writes one <c>.sql</c> file per revision, all or
/// none, never over an existing file or an existing revision id.
/// </summary>
public sealed partial class AlembicImporter(string migrationsDirectory, string alembicCommand, TimeProvider time)
{
    public async Task<AlembicImportResult> ImportAsync(string source, CancellationToken cancellationToken)
    {
        var project = AlembicProject.Load(source);
        var planned = AlembicImportPlan.Make(project.Revisions, time.GetUtcNow());
        RefuseOverwrite(planned);

        var offline = new AlembicOfflineSql(alembicCommand);
        var upgrade = await offline.UpgradeAsync(project.IniFile, cancellationToken);
        if (upgrade.Error is not null)
        {
            var where = upgrade.FailedAt is null ? "" : $" at revision {upgrade.FailedAt}";
            throw new MigrateException(
                FailureKind.InvalidMigrations,
                $"Alembic's offline mode (alembic upgrade heads --sql) failed{where}: {upgrade.Error}. Nothing was written; a script that reads the database cannot run offline.");
        }

        var downgrade = await offline.DowngradeAsync(project.IniFile, cancellationToken);
        var warnings = new List<string>();
        if (downgrade.Error is not null)
        {
            var lost = planned.Where(p => !downgrade.Sql.ContainsKey(p.Alembic.Id)).Select(p => p.Alembic.Id);
            warnings.Add($"Alembic's offline downgrade failed at revision {downgrade.FailedAt ?? "?"} ({downgrade.Error}): {string.Join(", ", lost)} imported without a downgrade section (irreversible).");
        }

        var files = planned.Select(p => (Planned: p, Text: AlembicRevisionText.Write(p, project, Required(upgrade, p.Alembic.Id), downgrade.Sql.GetValueOrDefault(p.Alembic.Id)))).ToList();
        WriteAll(files);
        var imported = files.Select(f => new ImportedRevision(
            f.Planned.Alembic.Id, Path.Combine(migrationsDirectory, f.Planned.FileName), f.Planned.Alembic.DownRevisions, f.Planned.Alembic.Message,
            f.Planned.Alembic.SourceFile, downgrade.Sql.ContainsKey(f.Planned.Alembic.Id))).ToList();
        return new AlembicImportResult(project.IniFile, migrationsDirectory, imported, warnings);
    }

    private static RevisionSql Required(OfflineSql upgrade, string id) =>
        upgrade.Sql.GetValueOrDefault(id) ?? throw new MigrateException(
            FailureKind.InvalidMigrations, $"Alembic's offline mode wrote nothing for revision {id}: is it reachable from a head? Nothing was written.");

    /// <summary>Refuses, before anything is written, a file name or a revision id the migrations directory already holds.</summary>
    private void RefuseOverwrite(IReadOnlyList<PlannedRevision> planned)
    {
        var existing = ExistingRevisions();
        foreach (var revision in planned)
        {
            var path = Path.Combine(migrationsDirectory, revision.FileName);
            if (File.Exists(path))
            {
                throw new MigrateException(FailureKind.Usage, $"{path} exists already: import-alembic never overwrites a file. Nothing was written.");
            }

            if (existing.TryGetValue(revision.Alembic.Id, out var holder))
            {
                throw new MigrateException(FailureKind.Usage, $"{holder} holds revision {revision.Alembic.Id} already: the project was imported before. Nothing was written.");
            }
        }
    }

    /// <summary>Revision id → file, for the <c>.sql</c> files already in the migrations directory (the <c>revision</c> header, else the file name).</summary>
    private Dictionary<string, string> ExistingRevisions()
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(migrationsDirectory))
        {
            return ids;
        }

        foreach (var file in Directory.EnumerateFiles(migrationsDirectory, "*.sql"))
        {
            var header = RevisionHeader().Match(File.ReadAllText(file));
            ids.TryAdd(header.Success ? header.Groups["id"].Value : Path.GetFileNameWithoutExtension(file), file);
        }

        return ids;
    }

    /// <summary>Writes every file or none: a failure part-way removes the files this run created.</summary>
    private void WriteAll(IReadOnlyList<(PlannedRevision Planned, string Text)> files)
    {
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(migrationsDirectory);
            foreach (var (planned, text) in files)
            {
                var path = Path.Combine(migrationsDirectory, planned.FileName);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    written.Add(path);
                    stream.Write(Encoding.UTF8.GetBytes(text));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            foreach (var path in written)
            {
                File.Delete(path);
            }

            throw new MigrateException(FailureKind.Usage, $"Cannot write into {migrationsDirectory}: {ex.Message} Nothing was written.");
        }
    }

    [GeneratedRegex(@"^--\s*revision:\s*(?<id>\S+)", RegexOptions.Multiline)]
    private static partial Regex RevisionHeader();
}
