using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The lint part of the deployment log, report and summary (SPEC §10): every finding of the pending revisions, whether
/// errors were let through with <c>--allow-lint-errors</c>, and every suppression with its reason, so silence leaves a trail.
/// Files are named without their directory: a migrations directory is flat, and the summary may be read far from the machine.
/// </summary>
internal static class LintReportSection
{
    public static void Log(StringBuilder log, DeployReport report)
    {
        if (report.Lint is not { } lint)
        {
            return;
        }

        log.Append(CultureInfo.InvariantCulture, $"lint     {LintText.Counts(lint)}{Allowed(report)}\n");
        foreach (var finding in lint.Findings)
        {
            log.Append(CultureInfo.InvariantCulture, $"finding  {LintText.Headline(finding, Path.GetFileName(finding.File))}\n");
        }

        foreach (var s in lint.Suppressions)
        {
            log.Append(CultureInfo.InvariantCulture, $"ignored  {s.Code} at {Path.GetFileName(s.File)}:{s.Line}: {s.Reason}\n");
        }
    }

    public static void Markdown(StringBuilder md, DeployReport report)
    {
        if (report.Lint is not { } lint || (lint.Findings.Count == 0 && lint.Suppressions.Count == 0))
        {
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"\n#### Lint: {LintText.Counts(lint)}{Allowed(report)}\n");
        if (lint.Findings.Count > 0)
        {
            md.Append("\n| severity | rule | where | finding | fix |\n|---|---|---|---|---|\n");
            foreach (var f in lint.Findings)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {LintText.Name(f.Severity)} | [{f.Code}]({LintCatalogue.DocsLink(f.Code)}) | `{Path.GetFileName(f.File)}:{f.Line}:{f.Column}` | {Cell(f.Message)} | {Cell(f.Fix)} |\n");
            }
        }

        if (lint.Suppressions.Count > 0)
        {
            md.Append("\n| suppressed | where | reason |\n|---|---|---|\n");
            foreach (var s in lint.Suppressions)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {s.Code} | `{Path.GetFileName(s.File)}:{s.Line}` | {Cell(s.Reason)} |\n");
            }
        }
    }

    private static string Allowed(DeployReport report) =>
        report.LintErrorsAllowed && report.Lint is { HasErrors: true } ? " (errors allowed: --allow-lint-errors)" : "";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
