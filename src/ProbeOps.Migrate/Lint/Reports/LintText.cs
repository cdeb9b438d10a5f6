using System.Globalization;

namespace ProbeOps.Migrate.Lint;

/// <summary>The short texts of lint findings that the command, the deploy stage and the deploy reports share.</summary>
public static class LintText
{
    public static string Name(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Warning => "warning",
        _ => "notice",
    };

    /// <summary>The compiler-style line of SPEC §10: <c>file:line:column: severity CODE message</c>, the file as <paramref name="file"/> shows it.</summary>
    public static string Headline(LintFinding finding, string file) =>
        $"{file}:{finding.Line}:{finding.Column}: {Name(finding.Severity)} {finding.Code} {finding.Message}";

    /// <summary>The lock and what it blocks, e.g. <c>ACCESS EXCLUSIVE, blocks reads and writes</c>; null without a lock.</summary>
    public static string? Lock(LintFinding finding) =>
        finding.Lock is null ? null : finding.Blocks is null ? finding.Lock : $"{finding.Lock}, blocks {finding.Blocks}";

    /// <summary><c>1 error, 2 warnings, 0 notices, 1 suppressed</c>.</summary>
    public static string Counts(LintReport report)
    {
        var text = $"{Count(report.Count(LintSeverity.Error), "error")}, {Count(report.Count(LintSeverity.Warning), "warning")}, " +
                   $"{Count(report.Count(LintSeverity.Notice), "notice")}";
        return report.Suppressions.Count == 0 ? text : $"{text}, {report.Suppressions.Count} suppressed";
    }

    /// <summary>
    /// The one line a deploy stopped by lint ends with: the first error's rule, file and line, how many more, and the
    /// three ways on. The file is named without its directory (a migrations directory is flat).
    /// </summary>
    public static string GateFailure(LintReport report)
    {
        var errors = report.Findings.Where(f => f.Severity == LintSeverity.Error).ToList();
        var first = errors[0];
        var more = errors.Count == 1 ? "" : $" and {errors.Count - 1} more";
        return $"Lint error {first.Code} at {ShortName(first)}:{first.Line}:{first.Column} ({first.Message.TrimEnd('.')}){more}: " +
               $"fix it, add '-- lint:ignore {first.Code} reason' above the statement, or pass --allow-lint-errors. Nothing was changed.";
    }

    /// <summary>What a deploy records for an error that <c>--allow-lint-errors</c> let through.</summary>
    public static string AllowedError(LintFinding finding) =>
        $"lint error allowed by --allow-lint-errors: {Headline(finding, ShortName(finding))}";

    /// <summary>The file without its directory; a repeatable keeps its <c>repeatable/</c> folder.</summary>
    private static string ShortName(LintFinding finding) =>
        finding.Section == LintSection.Repeatable ? finding.Revision + ".sql" : Path.GetFileName(finding.File);

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
