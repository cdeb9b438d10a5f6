using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>
/// Turns what the line reader found into a <see cref="MigrationFile"/>: checks the revision id and parents, and
/// cuts each section into statements once, with the dialect's rules, checking them as it goes.
/// </summary>
internal sealed class MigrationFileBuilder(string path, string text, ISqlDialect dialect, ParseDiagnostics diagnostics)
{
    private const string MarkerPrefix = SectionMarkers.Prefix;

    /// <summary>The revision id the file claims, once <see cref="Build"/> found it valid; else null.</summary>
    public string? Revision { get; private set; }

    /// <summary>The file, or null when a part it needs is missing (the diagnostics say why).</summary>
    public MigrationFile? Build(FileLayout layout)
    {
        var revisionHeader = layout.Header[HeaderSyntax.RevisionKey];
        var downHeader = layout.Header[HeaderSyntax.DownRevisionKey];
        var revision = revisionHeader?.Value ?? Path.GetFileNameWithoutExtension(Path.GetFileName(path));
        var revisionLine = revisionHeader?.Line ?? 1;
        if (CheckRevision(revision, revisionHeader is not null, revisionLine))
            Revision = revision;

        var parents = Parents(downHeader);
        if (layout.Upgrade is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingUpgradeSection,
                $"missing `{MarkerPrefix}upgrade` marker; every migration needs an upgrade section", 1);
        }

        // A merge only joins branches, so it may hold no SQL of its own.
        var upgrade = Section(layout.Upgrade, "upgrade", requireStatements: parents is not { Length: > 1 });
        var downgrade = Section(layout.Downgrade, "downgrade", requireStatements: false);
        var backfill = Section(layout.Backfill, "backfill", requireStatements: true);
        if (upgrade is null || parents is null)
            return null;

        return new MigrationFile
        {
            Path = path,
            Revision = revision,
            DownRevisions = parents,
            Message = layout.Header[HeaderSyntax.MessageKey]?.Value,
            Upgrade = upgrade,
            Downgrade = downgrade,
            Backfill = backfill,
            Checksum = MigrationChecksum.Compute(upgrade.Sql),
            RevisionLine = revisionLine,
            DownRevisionLine = downHeader?.Line ?? 1,
        };
    }

    /// <returns>True when the id is valid.</returns>
    private bool CheckRevision(string revision, bool fromHeader, int line)
    {
        // An empty header value is already PM115.
        if (fromHeader && revision.Length == 0)
            return false;
        var problem = MigrationNames.RevisionIdProblem(revision);
        if (problem is not null)
        {
            var source = fromHeader ? "" : " (taken from the file name; add a `-- revision:` header)";
            diagnostics.Error(DiagnosticCodes.InvalidRevisionId,
                $"revision id `{MigrationNames.Shorten(revision)}` {problem}{source}", line);
        }

        return problem is null;
    }

    private string[]? Parents(HeaderValue? header)
    {
        if (header is not { } down)
        {
            diagnostics.Error(DiagnosticCodes.MissingDownRevision,
                "missing `-- down_revision:` header; write `none` for the first migration, or the parent revision id", 1);
            return null;
        }

        if (down.Value.Length == 0)
            return null;
        if (down.Value.Equals("none", StringComparison.OrdinalIgnoreCase))
            return [];

        var parents = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var part in down.Value.Split(','))
        {
            var id = part.Trim();
            string? problem;
            if (id.Equals("none", StringComparison.OrdinalIgnoreCase))
                problem = "cannot be combined with other parents (`none` marks the base)";
            else if (!seen.Add(id))
                problem = "is listed twice";
            else
                problem = MigrationNames.RevisionIdProblem(id);

            if (problem is not null)
            {
                valid = false;
                diagnostics.Error(DiagnosticCodes.InvalidRevisionId, $"down_revision `{MigrationNames.Shorten(id)}` {problem}", down.Line);
            }

            parents.Add(id);
        }

        return valid ? [.. parents] : null;
    }

    /// <summary>The section with its statements, reporting an unclosed quote (PM116), an empty upgrade (PM109) or backfill (PM119) and
    /// statements that refuse a transaction in a transactional section (PM113).</summary>
    internal MigrationSection? Section(SectionDraft? draft, string name, bool requireStatements)
    {
        if (draft is null)
            return null;
        var sql = text[draft.BodyStart..Math.Max(draft.BodyStart, draft.BodyEnd)].TrimEnd();
        var firstBodyLine = draft.MarkerLine + 1;
        var (statements, unterminated, unterminatedLine) = dialect.Split(sql, firstBodyLine);
        if (unterminated is not null)
        {
            diagnostics.Error(DiagnosticCodes.UnterminatedSql,
                $"this {unterminated} is never closed, so it swallows the rest of the {name} section; close it",
                unterminatedLine);
        }

        if (requireStatements && statements.Count == 0)
        {
            if (draft.Kind == SectionKind.Backfill)
            {
                diagnostics.Error(DiagnosticCodes.EmptyBackfillSection,
                    "the backfill section is empty; add the statement it repeats, or remove the marker", draft.MarkerLine);
            }
            else
            {
                diagnostics.Error(DiagnosticCodes.EmptyUpgradeSection,
                    "the upgrade section is empty; a migration must change something", draft.MarkerLine);
            }
        }

        if (draft.Transactional)
            CheckTransactional(statements, name);
        foreach (var problem in statements.SelectMany(dialect.FindUnsupported))
            diagnostics.Error(problem.Code, problem.Message, problem.Line);
        return new MigrationSection(sql, draft.Transactional, draft.MarkerLine, statements) { Pause = draft.Pause };
    }

    private void CheckTransactional(IReadOnlyList<SqlStatement> statements, string name)
    {
        foreach (var statement in statements)
        {
            var command = dialect.FindNonTransactionalCommand(statement);
            if (command is not null)
            {
                var fix = name == "backfill"
                    ? "every run of a backfill is a transaction: move it to an upgrade section marked `transaction:false`"
                    : $"mark the section `{MarkerPrefix}{name} transaction:false`";
                diagnostics.Error(DiagnosticCodes.StatementNeedsNoTransaction,
                    $"{command} cannot run inside a transaction; {fix}", statement.Line);
            }
        }
    }
}
