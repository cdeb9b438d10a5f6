using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>The outcome of parsing one repeatable file: the migration when it parsed, and every finding either way.</summary>
public sealed record RepeatableParseResult(RepeatableMigration? Repeatable, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Parses a repeatable migration: the same encoding, header and marker rules as a revision file (SPEC §2), read
/// by the same line reader, with what a repeatable cannot have refused (PM120): a <c>revision</c> or
/// <c>down_revision</c> header (it has no place in the graph), a downgrade section (it is never reverted) and
/// <c>transaction:false</c> (it runs in the run's last transaction). Its name, the file name without
/// <c>.sql</c>, follows the rules of a revision id.
/// </summary>
public static class RepeatableFileParser
{
    public static RepeatableParseResult Parse(string path, ReadOnlySpan<byte> content, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dialect);
        var diagnostics = new ParseDiagnostics(path);
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        var problem = path.EndsWith(".sql", StringComparison.Ordinal) ? MigrationNames.RevisionIdProblem(name) : null;
        if (problem is not null || !path.EndsWith(".sql", StringComparison.Ordinal))
        {
            diagnostics.Error(DiagnosticCodes.FileNameConvention,
                $"repeatable file name `{MigrationNames.Shorten(System.IO.Path.GetFileName(path))}`: the name {problem ?? "must end in `.sql`"}", 1);
        }

        if (!MigrationFileDecoder.TryDecode(content, diagnostics, out var text))
            return new RepeatableParseResult(null, diagnostics.Sorted());

        var layout = new FileLayoutReader(diagnostics).Read(text);
        RefuseRevisionParts(layout, diagnostics);
        if (layout.Upgrade is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingUpgradeSection,
                $"missing `{SectionMarkers.Prefix}upgrade` marker; a repeatable migration needs an upgrade section", 1);
        }

        var upgrade = new MigrationFileBuilder(path, text, dialect, diagnostics).Section(layout.Upgrade, "upgrade", requireStatements: true);
        var found = diagnostics.Sorted();
        if (upgrade is null || found.Any(d => d.IsError))
            return new RepeatableParseResult(null, found);

        return new RepeatableParseResult(new RepeatableMigration
        {
            Path = path,
            Name = name,
            Message = layout.Header[HeaderSyntax.MessageKey]?.Value,
            Upgrade = upgrade,
            Checksum = MigrationChecksum.Compute(upgrade.Sql),
        }, found);
    }

    private static void RefuseRevisionParts(FileLayout layout, ParseDiagnostics diagnostics)
    {
        foreach (var key in (ReadOnlySpan<int>)[HeaderSyntax.RevisionKey, HeaderSyntax.DownRevisionKey])
        {
            if (layout.Header[key] is { } header)
            {
                diagnostics.Error(DiagnosticCodes.RepeatableShape,
                    $"a repeatable migration has no `{HeaderSyntax.Keys[key]}`: it is not part of the revision graph; remove the line",
                    header.Line);
            }
        }

        if (layout.Downgrade is { } downgrade)
        {
            diagnostics.Error(DiagnosticCodes.RepeatableShape,
                $"a repeatable migration is never reverted; remove `{SectionMarkers.Prefix}downgrade` and write the upgrade to be re-run (`CREATE OR REPLACE`)",
                downgrade.MarkerLine);
        }

        if (layout.Upgrade is { Transactional: false } upgrade)
        {
            diagnostics.Error(DiagnosticCodes.RepeatableShape,
                "a repeatable migration runs in the run's last transaction; remove `transaction:false`",
                upgrade.MarkerLine);
        }
    }
}
