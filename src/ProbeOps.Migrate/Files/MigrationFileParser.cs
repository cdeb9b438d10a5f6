using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Files;

/// <summary>The outcome of parsing one file: the file when it parsed, and every finding either way.</summary>
public sealed record MigrationFileParseResult(MigrationFile? File, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>
    /// The revision id the file claims (its <c>revision</c> header, else its file name) when that id is valid, even
    /// when the file has errors: a child naming it as parent is not naming an unknown revision. Null when unknown.
    /// </summary>
    public string? Revision { get; init; }
}

/// <summary>
/// Parses the SQL migration file format of SPEC §2 for one SQL dialect. Never throws for bad input:
/// every problem becomes a diagnostic with the file and a 1-based line, and all of them are reported, not
/// only the first. <see cref="MigrationFileParseResult.File"/> is null when any of them is an error.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><b>Encoding.</b> Strict UTF-8. A leading byte-order mark is dropped; CRLF and lone CR become
/// <c>\n</c>. Invalid bytes, a UTF-16 byte-order mark or a NUL byte are PM102 (with the line) and stop the
/// parse, since nothing after them can be trusted.</item>
/// <item><b>File name.</b> <c>YYYYMMDD_words.sql</c>: eight digits forming a real calendar date, <c>_</c>, then
/// lower-case words of <c>a-z0-9</c> joined by single <c>_</c>. Otherwise PM101 (line 1); the rest of the file
/// is still parsed.</item>
/// <item><b>Header.</b> The leading block of <c>-- key: value</c> lines; blank lines and bare <c>--</c> lines may
/// sit inside it. Any <c>-- word: value</c> line in it (word an identifier) is a header line, and its key must be
/// <c>revision</c>, <c>down_revision</c> or <c>message</c> (else PM104, with a "did you mean" for a near miss).
/// A key given twice is PM105, an empty value PM115, a known key without a colon (<c>-- revision x</c>) PM103.
/// The header ends at the first other line; plain comments may follow it, but a known key after that point is
/// PM103, because it would otherwise be ignored silently.</item>
/// <item><b>Revision ids.</b> <c>revision</c> defaults to the file name without <c>.sql</c>. An id starts with an
/// ASCII letter or digit, continues with letters, digits, <c>_</c>, <c>.</c> or <c>-</c>, is at most 128
/// characters, and is not <c>head</c>, <c>heads</c>, <c>base</c> or <c>none</c> in any case; else PM107.</item>
/// <item><b>Parents.</b> <c>down_revision</c> is required (PM106). <c>none</c> (any case) marks the base;
/// otherwise a comma-separated list of ids, each trimmed and valid, none repeated (PM107).</item>
/// <item><b>Markers.</b> A line starting (after spaces or tabs) with exactly <c>-- migrate:</c> is a marker, and
/// that prefix is reserved: the name must be <c>upgrade</c>, <c>backfill</c> or <c>downgrade</c>; the only option of
/// the upgrade and downgrade is <c>transaction:false</c> or <c>transaction:true</c>, the only one of the backfill
/// <c>pause:DURATION</c> (PM111 otherwise, also for a line that is almost a marker such as
/// <c>--migrate:downgrade</c>). <c>-- migrate:upgrade</c> is required (PM108), a repeated marker is PM110, a
/// downgrade or backfill before the upgrade is PM114, a backfill without a statement PM119. Markers are found line by line, so a marker line inside a
/// dollar-quoted body still starts a section. SQL between the header and the first marker is PM112.</item>
/// <item><b>Sections.</b> A section's <see cref="MigrationSection.Sql"/> is every line after its marker up to the
/// next marker or the end, joined with <c>\n</c>, with trailing whitespace removed. Leading blank lines are
/// kept so that its first line stays <see cref="MigrationSection.FirstBodyLine"/>. An upgrade section with no
/// statement (only blanks and comments) is PM109, except in a merge revision, which may only join branches;
/// an empty downgrade section is a deliberate no-op.</item>
/// <item><b>Transactions.</b> Each section is cut into statements once, with the rules of the dialect the file is
/// parsed for (<see cref="ISqlDialect.Split"/>), and keeps them in <see cref="MigrationSection.Statements"/>: what
/// runs is what was checked. In a transactional section, a statement the dialect finds cannot run inside a
/// transaction (<see cref="ISqlDialect.FindNonTransactionalCommand"/>) is PM113 at the statement's line. A string, quoted identifier or block comment left open at the
/// end of a section is PM116 at the line it opens on: it would swallow the rest of the section (SQLite even
/// accepts an unclosed block comment and silently runs nothing after it).</item>
/// <item><b>Checksum.</b> <see cref="MigrationChecksum.Compute"/> of the upgrade <c>Sql</c>: line endings and
/// byte-order mark are normalised before it, so a CRLF or BOM checkout has the same checksum.</item>
/// </list>
/// </remarks>
public static class MigrationFileParser
{
    /// <summary>
    /// Parses <paramref name="content"/>, the raw bytes of the file at <paramref name="path"/>, for a database that
    /// speaks <paramref name="dialect"/>. Never throws for bad input.
    /// </summary>
    public static MigrationFileParseResult Parse(string path, ReadOnlySpan<byte> content, ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dialect);
        var diagnostics = new ParseDiagnostics(path);
        var fileNameProblem = MigrationNames.FileNameProblem(Path.GetFileName(path));
        if (fileNameProblem is not null)
            diagnostics.Error(DiagnosticCodes.FileNameConvention, fileNameProblem, 1);

        if (!MigrationFileDecoder.TryDecode(content, diagnostics, out var text))
            return diagnostics.Result(file: null);

        var layout = new FileLayoutReader(diagnostics).Read(text);
        var builder = new MigrationFileBuilder(path, text, dialect, diagnostics);
        var file = builder.Build(layout);
        return diagnostics.Result(file) with { Revision = builder.Revision };
    }
}
