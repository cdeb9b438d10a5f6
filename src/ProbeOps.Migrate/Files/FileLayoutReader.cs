using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>A header value and the line it was given on.</summary>
internal readonly record struct HeaderValue(string Value, int Line);

/// <summary>What the line reader found: the header values (by <see cref="HeaderSyntax.Keys"/> index) and the sections.</summary>
internal sealed record FileLayout(HeaderValue?[] Header, SectionDraft? Upgrade, SectionDraft? Downgrade, SectionDraft? Backfill);

/// <summary>
/// Reads a decoded file line by line: the header block, the comments before the first marker, and the markers
/// that cut the rest into sections. Markers are found line by line, so a marker line inside a dollar-quoted body
/// still starts a section. Lives for one file.
/// </summary>
internal sealed class FileLayoutReader(ParseDiagnostics diagnostics)
{
    private const string MarkerPrefix = SectionMarkers.Prefix;

    private readonly HeaderValue?[] _header = new HeaderValue?[HeaderSyntax.Keys.Length];
    private SectionDraft? _upgrade;
    private SectionDraft? _downgrade;
    private SectionDraft? _backfill;
    private bool _reportedPreambleSql;

    private enum Phase
    {
        Header,
        Preamble,
        Sections,
    }

    public FileLayout Read(string text)
    {
        var phase = Phase.Header;
        var inBlockComment = false;
        SectionDraft? current = null;
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
                if (current is not null)
                    current.BodyEnd = lineStart;
                current = Marker(line, lineNumber, newline < 0 ? text.Length : newline + 1);
                phase = Phase.Sections;
            }
            else if (SectionMarkers.IsNearMarker(line))
            {
                diagnostics.Error(DiagnosticCodes.UnknownSectionOption,
                    $"`{MigrationNames.Shorten(line.TrimEnd())}` looks like a section marker but is not spelled exactly `{MarkerPrefix}upgrade`, `{MarkerPrefix}backfill` or `{MarkerPrefix}downgrade`",
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

        if (current is not null)
            current.BodyEnd = text.Length;
        return new FileLayout(_header, _upgrade, _downgrade, _backfill);
    }

    /// <summary>Handles a line while still in the header; false when the line ends the header.</summary>
    private bool HeaderLine(ReadOnlySpan<char> line, int lineNumber)
    {
        if (HeaderSyntax.IsBlankOrBareComment(line))
            return true;

        var kind = HeaderSyntax.Parse(line, out var key, out var value);
        var index = HeaderSyntax.KeyIndex(key);
        if (kind == HeaderLineKind.KeyWithoutColon && index >= 0)
        {
            diagnostics.Error(DiagnosticCodes.MalformedHeaderLine,
                $"malformed header line; write `-- {key}: value`", lineNumber);
            return true;
        }

        if (kind != HeaderLineKind.Header)
            return false;

        if (index < 0)
        {
            var suggestion = HeaderSyntax.Suggest(key);
            var hint = suggestion is null ? "" : $"; did you mean `{suggestion}`?";
            diagnostics.Error(DiagnosticCodes.UnknownHeaderKey,
                $"unknown header key `{MigrationNames.Shorten(key)}`{hint} Valid keys: {string.Join(", ", HeaderSyntax.Keys)}",
                lineNumber);
            return true;
        }

        if (_header[index] is { } first)
        {
            diagnostics.Error(DiagnosticCodes.DuplicateHeaderKey,
                $"header key `{HeaderSyntax.Keys[index]}` is given twice (first on line {first.Line})", lineNumber);
            return true;
        }

        _header[index] = new HeaderValue(value.ToString(), lineNumber);
        if (value.IsEmpty)
            diagnostics.Error(DiagnosticCodes.EmptyHeaderValue, $"header `{HeaderSyntax.Keys[index]}` has no value", lineNumber);
        return true;
    }

    /// <summary>A line after the header and before the first marker: only comments belong here.</summary>
    private void PreambleLine(ReadOnlySpan<char> line, int lineNumber, ref bool inBlockComment)
    {
        var startsInComment = inBlockComment;
        if (!SectionMarkers.IsCommentOnly(line, ref inBlockComment))
        {
            if (!_reportedPreambleSql)
            {
                _reportedPreambleSql = true;
                diagnostics.Error(DiagnosticCodes.ContentOutsideSection,
                    $"SQL before the first marker belongs to no section; put it below `{MarkerPrefix}upgrade`",
                    lineNumber);
            }

            return;
        }

        if (!startsInComment && HeaderSyntax.Parse(line, out var key, out _) != HeaderLineKind.NotHeader && HeaderSyntax.KeyIndex(key) >= 0)
        {
            diagnostics.Error(DiagnosticCodes.MalformedHeaderLine,
                $"header line `{key}` comes after the header ended; header lines must form the leading block of the file",
                lineNumber);
        }
    }

    /// <summary>A marker line: the section it opens, or an ignored one when the marker is refused.</summary>
    private SectionDraft Marker(ReadOnlySpan<char> line, int lineNumber, int bodyStart)
    {
        var rest = line[MarkerPrefix.Length..];
        var nameLength = rest.IndexOfAny(" \t");
        var name = nameLength < 0 ? rest : rest[..nameLength];
        var options = nameLength < 0 ? [] : rest[nameLength..];

        SectionKind? known = name.SequenceEqual("upgrade") ? SectionKind.Upgrade
            : name.SequenceEqual("downgrade") ? SectionKind.Downgrade
            : name.SequenceEqual("backfill") ? SectionKind.Backfill
            : null;
        if (known is not SectionKind kind)
        {
            var guess = name.StartsWith("d", StringComparison.OrdinalIgnoreCase) ? "downgrade"
                : name.StartsWith("b", StringComparison.OrdinalIgnoreCase) ? "backfill" : "upgrade";
            diagnostics.Error(DiagnosticCodes.UnknownSectionOption,
                $"unknown section marker `{MarkerPrefix}{MigrationNames.Shorten(name)}`; the `{MarkerPrefix}` prefix is reserved for `{MarkerPrefix}upgrade`, `{MarkerPrefix}backfill` and `{MarkerPrefix}downgrade` (did you mean `{MarkerPrefix}{guess}`?)",
                lineNumber);
            return new SectionDraft(SectionKind.Ignored, lineNumber, true, bodyStart);
        }

        if (kind == SectionKind.Backfill)
            return Register(new SectionDraft(kind, lineNumber, true, bodyStart) { Pause = Pause(options, lineNumber) });

        var transactional = Transactional(options, kind, lineNumber);
        return Register(new SectionDraft(kind, lineNumber, transactional, bodyStart));
    }

    /// <summary>The marker's <c>transaction:</c> option (true when absent); anything else is PM111.</summary>
    private bool Transactional(ReadOnlySpan<char> options, SectionKind kind, int lineNumber)
    {
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
                diagnostics.Error(DiagnosticCodes.UnknownSectionOption,
                    $"{why} `{MigrationNames.Shorten(option)}` on `{MarkerPrefix}{NameOf(kind)}`; the only option is `transaction:false` (or `transaction:true`)",
                    lineNumber);
                continue;
            }

            optionSeen = true;
            transactional = value.Value;
        }

        return transactional;
    }

    /// <summary>The backfill marker's <c>pause:DURATION</c> option (zero when absent); anything else is PM111.</summary>
    private TimeSpan Pause(ReadOnlySpan<char> options, int lineNumber)
    {
        TimeSpan? pause = null;
        foreach (var range in options.SplitAny(" \t"))
        {
            var option = options[range];
            if (option.IsEmpty)
                continue;
            var value = option.StartsWith("pause:", StringComparison.Ordinal)
                ? Configuration.Durations.TryParse(option["pause:".Length..].ToString())
                : null;
            if (value is null || pause is not null)
            {
                var why = value is not null ? "option given twice:"
                    : option.StartsWith("pause:", StringComparison.Ordinal) ? "not a duration:" : "unknown option";
                diagnostics.Error(DiagnosticCodes.UnknownSectionOption,
                    $"{why} `{MigrationNames.Shorten(option)}` on `{MarkerPrefix}backfill`; the only option is `pause:DURATION` (such as `pause:100ms` or `pause:1s`): each run is its own transaction",
                    lineNumber);
                continue;
            }

            pause = value;
        }

        return pause ?? TimeSpan.Zero;
    }

    /// <summary>
    /// Records a new section; a repeated one is PM110 and ignored, an upgrade after the downgrade or the backfill
    /// (which runs after the upgrade has committed) is PM114.
    /// </summary>
    private SectionDraft Register(SectionDraft section)
    {
        var existing = section.Kind switch
        {
            SectionKind.Upgrade => _upgrade,
            SectionKind.Downgrade => _downgrade,
            _ => _backfill,
        };
        var markerName = NameOf(section.Kind);
        if (existing is not null)
        {
            diagnostics.Error(DiagnosticCodes.DuplicateSection,
                $"`{MarkerPrefix}{markerName}` appears again (first on line {existing.MarkerLine}); a file has one section of each kind",
                section.MarkerLine);
            return new SectionDraft(SectionKind.Ignored, section.MarkerLine, section.Transactional, section.BodyStart);
        }

        if (section.Kind == SectionKind.Upgrade && (_downgrade ?? _backfill) is { } earlier)
        {
            diagnostics.Error(DiagnosticCodes.SectionOrder,
                $"the {NameOf(earlier.Kind)} section (line {earlier.MarkerLine}) comes before the upgrade section; put `{MarkerPrefix}upgrade` first",
                section.MarkerLine);
        }

        switch (section.Kind)
        {
            case SectionKind.Upgrade:
                _upgrade = section;
                break;
            case SectionKind.Downgrade:
                _downgrade = section;
                break;
            default:
                _backfill = section;
                break;
        }

        return section;
    }

    private static string NameOf(SectionKind kind) => kind switch
    {
        SectionKind.Upgrade => "upgrade",
        SectionKind.Downgrade => "downgrade",
        _ => "backfill",
    };
}
