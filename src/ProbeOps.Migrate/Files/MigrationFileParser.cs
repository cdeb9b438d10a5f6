using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>The outcome of parsing one file: the file when it parsed, and every finding either way.</summary>
public sealed record MigrationFileParseResult(MigrationFile? File, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Parses the SQL migration file format of SPEC §2 in one pass over the bytes. Never throws for bad input:
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
/// that prefix is reserved: the name must be <c>upgrade</c> or <c>downgrade</c> and the only option is
/// <c>transaction:false</c> or <c>transaction:true</c> (PM111 otherwise, also for a line that is almost a marker
/// such as <c>--migrate:downgrade</c>). <c>-- migrate:upgrade</c> is required (PM108), a repeated marker is
/// PM110, a downgrade before the upgrade is PM114. Markers are found line by line, so a marker line inside a
/// dollar-quoted body still starts a section. SQL between the header and the first marker is PM112.</item>
/// <item><b>Sections.</b> A section's <see cref="MigrationSection.Sql"/> is every line after its marker up to the
/// next marker or the end, joined with <c>\n</c>, with trailing whitespace removed. Leading blank lines are
/// kept so that its first line stays <see cref="MigrationSection.FirstBodyLine"/>. An upgrade section with no
/// statement (only blanks and comments) is PM109, except in a merge revision, which may only join branches;
/// an empty downgrade section is a deliberate no-op.</item>
/// <item><b>Transactions.</b> Each section is split with <see cref="SqlStatementSplitter"/> (PostgreSQL rules);
/// in a transactional section, a statement that <see cref="TransactionRules"/> finds cannot run inside a
/// transaction is PM113 at the statement's line. A string, quoted identifier or block comment left open at the
/// end of a section is PM116 at the line it opens on: it would swallow the rest of the section (SQLite even
/// accepts an unclosed block comment and silently runs nothing after it).</item>
/// <item><b>Checksum.</b> <see cref="MigrationChecksum.Compute"/> of the upgrade <c>Sql</c>: line endings and
/// byte-order mark are normalised before it, so a CRLF or BOM checkout has the same checksum.</item>
/// </list>
/// </remarks>
public static class MigrationFileParser
{
    /// <summary>Parses <paramref name="content"/>, the raw bytes of the file at <paramref name="path"/>. Never throws for bad input.</summary>
    public static MigrationFileParseResult Parse(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new FileParse(path).Run(content);
    }

    internal static readonly string[] HeaderKeys = ["revision", "down_revision", "message"];

    internal const int MaxRevisionIdLength = 128;

    /// <summary>Why <paramref name="id"/> is not a usable revision id, or null when it is.</summary>
    internal static string? RevisionIdProblem(string id)
    {
        if (id.Length == 0)
            return "is empty";
        if (id.Length > MaxRevisionIdLength)
            return $"is longer than {MaxRevisionIdLength} characters";
        if (!char.IsAsciiLetterOrDigit(id[0]))
            return "must start with a letter or digit";
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != '-')
                return "may only contain letters, digits, `_`, `.` and `-`";
        }

        foreach (var reserved in (ReadOnlySpan<string>)["head", "heads", "base", "none"])
        {
            if (id.Equals(reserved, StringComparison.OrdinalIgnoreCase))
                return "is reserved (`head`, `heads`, `base` and `none` name targets, not revisions)";
        }

        return null;
    }

    /// <summary>Why <paramref name="fileName"/> breaks the <c>YYYYMMDD_description.sql</c> convention, or null.</summary>
    internal static string? FileNameProblem(string fileName)
    {
        const string Convention = "YYYYMMDD_description.sql (a date, then lower-case words of a-z and 0-9 joined by `_`)";
        var name = fileName.AsSpan();
        var ok = name.Length > 13
            && name[..8].IndexOfAnyExceptInRange('0', '9') < 0
            && name[8] == '_'
            && name.EndsWith(".sql", StringComparison.Ordinal);
        if (ok)
        {
            var words = name[9..^4];
            var previousWasUnderscore = true;
            foreach (var c in words)
            {
                var underscore = c == '_';
                if ((underscore && previousWasUnderscore) || (!underscore && !char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c)))
                {
                    ok = false;
                    break;
                }

                previousWasUnderscore = underscore;
            }

            ok &= !previousWasUnderscore;
        }

        if (!ok)
            return $"file name `{Shorten(fileName)}` does not follow the convention {Convention}";
        if (!DateOnly.TryParseExact(name[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return $"file name `{fileName}` starts with `{name[..8]}`, which is not a real date (YYYYMMDD)";
        return null;
    }

    /// <summary>Caps user text quoted in a message so one odd line cannot flood the output.</summary>
    internal static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");

    private enum SectionKind
    {
        Upgrade,
        Downgrade,
        Ignored,
    }

    private sealed class SectionDraft(SectionKind kind, int markerLine, bool transactional, int bodyStart)
    {
        public SectionKind Kind { get; } = kind;
        public int MarkerLine { get; } = markerLine;
        public bool Transactional { get; } = transactional;
        public int BodyStart { get; } = bodyStart;
        public int BodyEnd { get; set; } = bodyStart;
    }

    private readonly record struct HeaderValue(string Value, int Line);

    private enum HeaderLineKind
    {
        NotHeader,
        Header,
        KeyWithoutColon,
    }

    private enum Phase
    {
        Header,
        Preamble,
        Sections,
    }

    /// <summary>The state of one parse; lives for one call.</summary>
    private sealed class FileParse(string path)
    {
        private const string MarkerPrefix = "-- migrate:";

        private readonly List<Diagnostic> _diagnostics = [];
        private readonly HeaderValue?[] _header = new HeaderValue?[HeaderKeys.Length];
        private string _text = "";
        private SectionDraft? _upgrade;
        private SectionDraft? _downgrade;
        private SectionDraft? _current;
        private bool _reportedPreambleSql;

        public MigrationFileParseResult Run(ReadOnlySpan<byte> content)
        {
            var fileNameProblem = FileNameProblem(Path.GetFileName(path));
            if (fileNameProblem is not null)
                Error(DiagnosticCodes.FileNameConvention, fileNameProblem, 1);

            if (!TryDecode(content))
                return Result(file: null);

            ReadLines();
            return Result(Build());
        }

        private MigrationFileParseResult Result(MigrationFile? file)
        {
            // Report in file order; the sort is stable, so findings on one line keep their order.
            var sorted = _diagnostics.OrderBy(d => d.Line ?? 0).ToArray();
            return new MigrationFileParseResult(sorted.Any(d => d.IsError) ? null : file, sorted);
        }

        private void Error(string code, string message, int line) =>
            _diagnostics.Add(Diagnostic.Error(code, message, path, line));

        private bool TryDecode(ReadOnlySpan<byte> content)
        {
            if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                content = content[3..];

            if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                Error(DiagnosticCodes.InvalidEncoding, "file is UTF-16 encoded; save it as UTF-8", 1);
                return false;
            }

            var nul = content.IndexOf((byte)0);
            if (nul >= 0)
            {
                Error(DiagnosticCodes.InvalidEncoding,
                    "file contains a NUL byte, which is not SQL text; save it as UTF-8 (is it UTF-16 or binary?)",
                    LineOfByte(content, nul));
                return false;
            }

            var chars = ArrayPool<char>.Shared.Rent(Math.Max(content.Length, 1));
            try
            {
                var status = Utf8.ToUtf16(content, chars, out var read, out var written, replaceInvalidSequences: false);
                if (status != OperationStatus.Done)
                {
                    Error(DiagnosticCodes.InvalidEncoding,
                        $"file is not valid UTF-8 (byte 0x{content[read]:X2} cannot start or continue a character); save it as UTF-8",
                        LineOfByte(content, read));
                    return false;
                }

                // CRLF and lone CR become \n, compacting in place.
                var length = 0;
                for (var i = 0; i < written; i++)
                {
                    var c = chars[i];
                    if (c == '\r')
                    {
                        c = '\n';
                        if (i + 1 < written && chars[i + 1] == '\n')
                            i++;
                    }

                    chars[length++] = c;
                }

                _text = new string(chars, 0, length);
                return true;
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }

        private static int LineOfByte(ReadOnlySpan<byte> content, int index)
        {
            // Counts line breaks the way the text is normalised: CRLF, lone CR and LF each end a line.
            var line = 1;
            for (var i = 0; i < index && i < content.Length; i++)
            {
                var b = content[i];
                if (b == (byte)'\n' || (b == (byte)'\r' && (i + 1 >= content.Length || content[i + 1] != (byte)'\n')))
                    line++;
            }

            return line;
        }

        private void ReadLines()
        {
            var text = _text;
            var phase = Phase.Header;
            var inBlockComment = false;
            var lineNumber = 0;
            var lineStart = 0;
            while (true)
            {
                lineNumber++;
                var newline = text.IndexOf('\n', lineStart);
                var lineEnd = newline < 0 ? text.Length : newline;
                var line = text.AsSpan(lineStart, lineEnd - lineStart).TrimStart(" \t");

                if (line.StartsWith(MarkerPrefix, StringComparison.Ordinal))
                {
                    if (_current is not null)
                        _current.BodyEnd = lineStart;
                    _current = Marker(line, lineNumber, newline < 0 ? text.Length : newline + 1);
                    phase = Phase.Sections;
                }
                else if (IsNearMarker(line))
                {
                    Error(DiagnosticCodes.UnknownSectionOption,
                        $"`{Shorten(line.TrimEnd())}` looks like a section marker but is not spelled exactly `{MarkerPrefix}upgrade` or `{MarkerPrefix}downgrade`",
                        lineNumber);
                    if (phase == Phase.Header)
                        phase = Phase.Preamble;
                }
                else if (phase == Phase.Header && !HeaderLine(line, lineNumber))
                {
                    phase = Phase.Preamble;
                }

                if (phase == Phase.Preamble)
                    PreambleLine(line, lineNumber, ref inBlockComment);

                if (newline < 0)
                    break;
                lineStart = newline + 1;
            }

            if (_current is not null)
                _current.BodyEnd = text.Length;
        }

        /// <summary>Handles a line while still in the header; false when the line ends the header.</summary>
        private bool HeaderLine(ReadOnlySpan<char> line, int lineNumber)
        {
            if (IsBlankOrBareComment(line))
                return true;

            var kind = ParseHeaderLine(line, out var key, out var value);
            if (kind == HeaderLineKind.KeyWithoutColon && KeyIndex(key) >= 0)
            {
                Error(DiagnosticCodes.MalformedHeaderLine,
                    $"malformed header line; write `-- {key}: value`", lineNumber);
                return true;
            }

            if (kind != HeaderLineKind.Header)
                return false;

            var index = KeyIndex(key);
            if (index < 0)
            {
                var suggestion = Suggest(key);
                var hint = suggestion is null ? "" : $"; did you mean `{suggestion}`?";
                Error(DiagnosticCodes.UnknownHeaderKey,
                    $"unknown header key `{Shorten(key)}`{hint} Valid keys: {string.Join(", ", HeaderKeys)}",
                    lineNumber);
                return true;
            }

            if (_header[index] is { } first)
            {
                Error(DiagnosticCodes.DuplicateHeaderKey,
                    $"header key `{HeaderKeys[index]}` is given twice (first on line {first.Line})", lineNumber);
                return true;
            }

            _header[index] = new HeaderValue(value.ToString(), lineNumber);
            if (value.IsEmpty)
                Error(DiagnosticCodes.EmptyHeaderValue, $"header `{HeaderKeys[index]}` has no value", lineNumber);
            return true;
        }

        /// <summary>A line after the header and before the first marker: only comments belong here.</summary>
        private void PreambleLine(ReadOnlySpan<char> line, int lineNumber, ref bool inBlockComment)
        {
            var startsInComment = inBlockComment;
            if (!IsCommentOnly(line, ref inBlockComment))
            {
                if (!_reportedPreambleSql)
                {
                    _reportedPreambleSql = true;
                    Error(DiagnosticCodes.ContentOutsideSection,
                        $"SQL before the first marker belongs to no section; put it below `{MarkerPrefix}upgrade`",
                        lineNumber);
                }

                return;
            }

            if (!startsInComment && ParseHeaderLine(line, out var key, out _) != HeaderLineKind.NotHeader && KeyIndex(key) >= 0)
            {
                Error(DiagnosticCodes.MalformedHeaderLine,
                    $"header line `{key}` comes after the header ended; header lines must form the leading block of the file",
                    lineNumber);
            }
        }

        private SectionDraft Marker(ReadOnlySpan<char> line, int lineNumber, int bodyStart)
        {
            var rest = line[MarkerPrefix.Length..];
            var nameLength = rest.IndexOfAny(" \t");
            var name = nameLength < 0 ? rest : rest[..nameLength];
            var options = nameLength < 0 ? [] : rest[nameLength..];

            SectionKind kind;
            if (name.SequenceEqual("upgrade"))
            {
                kind = SectionKind.Upgrade;
            }
            else if (name.SequenceEqual("downgrade"))
            {
                kind = SectionKind.Downgrade;
            }
            else
            {
                var guess = name.StartsWith("d", StringComparison.OrdinalIgnoreCase) ? "downgrade" : "upgrade";
                Error(DiagnosticCodes.UnknownSectionOption,
                    $"unknown section marker `{MarkerPrefix}{Shorten(name)}`; the `{MarkerPrefix}` prefix is reserved for `{MarkerPrefix}upgrade` and `{MarkerPrefix}downgrade` (did you mean `{MarkerPrefix}{guess}`?)",
                    lineNumber);
                return new SectionDraft(SectionKind.Ignored, lineNumber, true, bodyStart);
            }

            var markerName = kind == SectionKind.Upgrade ? "upgrade" : "downgrade";
            var transactional = true;
            var optionSeen = false;
            foreach (var range in options.SplitAny(" \t"))
            {
                var option = options[range];
                if (option.IsEmpty)
                    continue;
                var value = option.SequenceEqual("transaction:false") ? false
                    : option.SequenceEqual("transaction:true") ? true
                    : (bool?)null;
                if (value is null || optionSeen)
                {
                    var why = value is null ? "unknown option" : "option given twice:";
                    Error(DiagnosticCodes.UnknownSectionOption,
                        $"{why} `{Shorten(option)}` on `{MarkerPrefix}{markerName}`; the only option is `transaction:false` (or `transaction:true`)",
                        lineNumber);
                    continue;
                }

                optionSeen = true;
                transactional = value.Value;
            }

            var existing = kind == SectionKind.Upgrade ? _upgrade : _downgrade;
            if (existing is not null)
            {
                Error(DiagnosticCodes.DuplicateSection,
                    $"`{MarkerPrefix}{markerName}` appears again (first on line {existing.MarkerLine}); a file has one section of each kind",
                    lineNumber);
                return new SectionDraft(SectionKind.Ignored, lineNumber, transactional, bodyStart);
            }

            if (kind == SectionKind.Upgrade && _downgrade is not null)
            {
                Error(DiagnosticCodes.SectionOrder,
                    $"the downgrade section (line {_downgrade.MarkerLine}) comes before the upgrade section; put `{MarkerPrefix}upgrade` first",
                    lineNumber);
            }

            var section = new SectionDraft(kind, lineNumber, transactional, bodyStart);
            if (kind == SectionKind.Upgrade)
                _upgrade = section;
            else
                _downgrade = section;
            return section;
        }

        private MigrationFile? Build()
        {
            var fileName = Path.GetFileName(path);
            var revisionHeader = _header[0];
            var downHeader = _header[1];
            var messageHeader = _header[2];

            var revision = revisionHeader?.Value ?? Path.GetFileNameWithoutExtension(fileName);
            var revisionLine = revisionHeader?.Line ?? 1;
            if (revisionHeader is null || revision.Length > 0)
            {
                var problem = RevisionIdProblem(revision);
                if (problem is not null)
                {
                    var source = revisionHeader is null ? " (taken from the file name; add a `-- revision:` header)" : "";
                    Error(DiagnosticCodes.InvalidRevisionId, $"revision id `{Shorten(revision)}` {problem}{source}", revisionLine);
                }
            }

            var parents = Parents(downHeader);

            var upgrade = Section(_upgrade);
            var downgrade = Section(_downgrade);
            if (upgrade is null)
            {
                Error(DiagnosticCodes.MissingUpgradeSection,
                    $"missing `{MarkerPrefix}upgrade` marker; every migration needs an upgrade section", 1);
            }
            else
            {
                // A merge only joins branches, so it may hold no SQL of its own.
                CheckSection(upgrade, "upgrade", requireStatements: parents is not { Length: > 1 });
            }

            if (downgrade is not null)
                CheckSection(downgrade, "downgrade", requireStatements: false);

            if (upgrade is null || parents is null)
                return null;

            return new MigrationFile
            {
                Path = path,
                Revision = revision,
                DownRevisions = parents,
                Message = messageHeader?.Value,
                Upgrade = upgrade,
                Downgrade = downgrade,
                Checksum = MigrationChecksum.Compute(upgrade.Sql),
                RevisionLine = revisionLine,
                DownRevisionLine = downHeader?.Line ?? 1,
            };
        }

        private string[]? Parents(HeaderValue? header)
        {
            if (header is not { } down)
            {
                Error(DiagnosticCodes.MissingDownRevision,
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
                    problem = RevisionIdProblem(id);

                if (problem is not null)
                {
                    valid = false;
                    Error(DiagnosticCodes.InvalidRevisionId, $"down_revision `{Shorten(id)}` {problem}", down.Line);
                }

                parents.Add(id);
            }

            return valid ? [.. parents] : null;
        }

        private MigrationSection? Section(SectionDraft? draft)
        {
            if (draft is null)
                return null;
            var sql = _text[draft.BodyStart..Math.Max(draft.BodyStart, draft.BodyEnd)].TrimEnd();
            return new MigrationSection(sql, draft.Transactional, draft.MarkerLine);
        }

        private void CheckSection(MigrationSection section, string name, bool requireStatements)
        {
            var (statements, unterminated, unterminatedLine) =
                SqlStatementSplitter.SplitChecked(section.Sql, SqlDialect.PostgreSql, section.FirstBodyLine);
            if (unterminated is not null)
            {
                Error(DiagnosticCodes.UnterminatedSql,
                    $"this {unterminated} is never closed, so it swallows the rest of the {name} section; close it",
                    unterminatedLine);
            }

            if (requireStatements && statements.Count == 0)
            {
                Error(DiagnosticCodes.EmptyUpgradeSection,
                    "the upgrade section is empty; a migration must change something", section.MarkerLine);
            }

            if (!section.Transactional)
                return;
            foreach (var statement in statements)
            {
                var command = TransactionRules.FindNonTransactionalCommand(statement, SqlDialect.PostgreSql);
                if (command is not null)
                {
                    Error(DiagnosticCodes.StatementNeedsNoTransaction,
                        $"{command} cannot run inside a transaction; mark the section `{MarkerPrefix}{name} transaction:false`",
                        statement.Line);
                }
            }
        }
    }

    private static int KeyIndex(ReadOnlySpan<char> key)
    {
        for (var i = 0; i < HeaderKeys.Length; i++)
        {
            if (key.SequenceEqual(HeaderKeys[i]))
                return i;
        }

        return -1;
    }

    /// <summary><c>-- key: value</c>, with <c>key</c> an identifier; spaces are optional around both.</summary>
    private static HeaderLineKind ParseHeaderLine(ReadOnlySpan<char> line, out ReadOnlySpan<char> key, out ReadOnlySpan<char> value)
    {
        key = value = default;
        if (!line.StartsWith("--", StringComparison.Ordinal))
            return HeaderLineKind.NotHeader;
        var rest = line[2..].TrimStart(" \t");
        if (rest.IsEmpty || !(char.IsAsciiLetter(rest[0]) || rest[0] == '_'))
            return HeaderLineKind.NotHeader;
        var keyLength = 1;
        while (keyLength < rest.Length && (char.IsAsciiLetterOrDigit(rest[keyLength]) || rest[keyLength] == '_'))
            keyLength++;
        key = rest[..keyLength];
        rest = rest[keyLength..].TrimStart(" \t");
        if (rest.IsEmpty || rest[0] != ':')
            return HeaderLineKind.KeyWithoutColon;
        value = rest[1..].Trim();
        return HeaderLineKind.Header;
    }

    private static bool IsBlankOrBareComment(ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        return trimmed.IsEmpty || trimmed.SequenceEqual("--");
    }

    /// <summary>A comment that reads like a marker but is not spelled with the exact prefix (<c>--migrate:upgrade</c>).</summary>
    private static bool IsNearMarker(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("--", StringComparison.Ordinal))
            return false;
        var rest = line[2..].TrimStart(" \t");
        if (!rest.StartsWith("migrate:", StringComparison.OrdinalIgnoreCase))
            return false;
        rest = rest["migrate:".Length..];
        var wordLength = rest.IndexOfAny(" \t");
        var word = wordLength < 0 ? rest : rest[..wordLength];
        return word.Equals("upgrade", StringComparison.OrdinalIgnoreCase)
            || word.Equals("downgrade", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the line holds only whitespace and comments; tracks block comments across lines.</summary>
    private static bool IsCommentOnly(ReadOnlySpan<char> line, ref bool inBlockComment)
    {
        var i = 0;
        while (i < line.Length)
        {
            if (inBlockComment)
            {
                var close = line[i..].IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                    return true;
                i += close + 2;
                inBlockComment = false;
                continue;
            }

            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && i + 1 < line.Length && line[i + 1] == '-')
            {
                return true;
            }
            else if (c == '/' && i + 1 < line.Length && line[i + 1] == '*')
            {
                inBlockComment = true;
                i += 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The valid key closest to <paramref name="key"/>, when it is a plausible typo of it.</summary>
    private static string? Suggest(ReadOnlySpan<char> key)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in HeaderKeys)
        {
            var distance = EditDistance(key, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var allowed = Math.Max(1, Math.Min(3, best!.Length / 4));
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Case-insensitive Damerau (optimal string alignment) distance; the strings are short.</summary>
    private static int EditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length > 64)
            return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 2])
                    && char.ToLowerInvariant(a[i - 2]) == char.ToLowerInvariant(b[j - 1]))
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
