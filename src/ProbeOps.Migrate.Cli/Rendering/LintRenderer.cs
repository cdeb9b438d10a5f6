using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Human lint output (SPEC §10): per finding, <c>file:line:column: severity CODE message</c>, the statement's line
/// with a caret under the column, the lock and what it blocks, the fix and the rule's documentation; then a summary.
/// </summary>
public sealed class LintRenderer(TextWriter output, string workingDirectory)
{
    private readonly Dictionary<string, string[]?> _files = new(StringComparer.Ordinal);

    public void Write(LintResult result)
    {
        if (result.Notice is not null)
        {
            output.WriteLine("notice: " + result.Notice);
            return;
        }

        foreach (var finding in result.Report.Findings)
        {
            WriteFinding(finding);
        }

        foreach (var s in result.Report.Suppressions)
        {
            output.WriteLine($"{Show(s.File)}:{s.Line}: ignored {s.Code}: {s.Reason}");
        }

        output.WriteLine(Summary(result));
    }

    /// <summary>The finding's headline only: the one line a deploy prints per finding.</summary>
    public void WriteHeadline(LintFinding finding) => output.WriteLine(LintText.Headline(finding, Show(finding.File)));

    private void WriteFinding(LintFinding finding)
    {
        WriteHeadline(finding);
        var gutter = $"{finding.Line,6} | ";
        var line = SourceLine(finding) ?? finding.Statement.Split('\n')[0];
        output.WriteLine(gutter + line.TrimEnd());
        output.WriteLine(new string(' ', gutter.Length - 2) + "| " + CaretPrefix(line, finding.Column) + "^");
        if (LintText.Lock(finding) is { } held)
        {
            output.WriteLine($"       = lock: {held}");
        }

        output.WriteLine($"       = fix: {finding.Fix}");
        output.WriteLine($"       = see: {LintCatalogue.DocsLink(finding.Code)}");
        output.WriteLine();
    }

    private string Summary(LintResult result)
    {
        var report = result.Report;
        var context = result.ServerVersion is { } version
            ? $"PostgreSQL {version.Major}"
            : $"PostgreSQL {LintRules.OldestSupportedServer.Major} assumed, --pg-version N for another";
        if (result.Pending is { } pending)
        {
            context += $"; {pending.Count} pending on {result.Database}";
        }

        var repeatables = report.RepeatablesLinted == 0 ? "" : $", {report.RepeatablesLinted} repeatable{(report.RepeatablesLinted == 1 ? "" : "s")}";
        return $"Lint: {report.RevisionsLinted} revision{(report.RevisionsLinted == 1 ? "" : "s")}{repeatables}, {LintText.Counts(report)} ({context}).";
    }

    /// <summary>The file's line the finding points at, read once per file; null when the file cannot be read.</summary>
    private string? SourceLine(LintFinding finding)
    {
        if (!_files.TryGetValue(finding.File, out var lines))
        {
            try
            {
                lines = File.ReadAllText(finding.File).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lines = null;
            }

            _files[finding.File] = lines;
        }

        return lines is not null && finding.Line >= 1 && finding.Line <= lines.Length ? lines[finding.Line - 1] : null;
    }

    /// <summary>Spaces up to the column, keeping tabs as tabs so the caret lines up under the character.</summary>
    private static string CaretPrefix(string line, int column)
    {
        var width = Math.Clamp(column - 1, 0, line.Length);
        return string.Concat(line.AsSpan(0, width).ToArray().Select(c => c == '\t' ? '\t' : ' '));
    }

    private string Show(string file) => ErrorRenderer.RelativePath(file, workingDirectory) ?? file;
}
