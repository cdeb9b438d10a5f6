using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Json;

/// <summary>A lint finding as <c>lint --json</c> and the deployment report write it (SPEC §10 names the first eight fields).</summary>
public sealed record LintFindingDocument(
    string Code,
    string Severity,
    string File,
    int Line,
    int Column,
    string Revision,
    string Section,
    string Message,
    string Fix,
    string? Lock,
    string? Blocks,
    string Statement,
    string Docs)
{
    public static LintFindingDocument From(LintFinding f) => new(
        f.Code, LintText.Name(f.Severity), f.File, f.Line, f.Column, f.Revision, f.Section.ToString().ToLowerInvariant(), f.Message, f.Fix, f.Lock, f.Blocks, f.Statement, LintCatalogue.DocsLink(f.Code));

    public static IReadOnlyList<LintFindingDocument> All(LintReport report) => report.Findings.Select(From).ToList();
}

/// <summary>A <c>-- lint:ignore</c> that silenced a finding, with its reason.</summary>
public sealed record LintSuppressionDocument(string Code, string Revision, string File, int Line, string Reason)
{
    public static IReadOnlyList<LintSuppressionDocument> All(LintReport report) =>
        report.Suppressions.Select(s => new LintSuppressionDocument(s.Code, s.Revision, s.File, s.Line, s.Reason)).ToList();
}

/// <summary>The <c>lint</c> object of the deployment report: counts, whether errors were let through, findings and suppressions.</summary>
public sealed record DeployLintDocument(
    int Revisions,
    int Repeatables,
    int Errors,
    int Warnings,
    int Notices,
    bool ErrorsAllowed,
    IReadOnlyList<LintFindingDocument> Findings,
    IReadOnlyList<LintSuppressionDocument> Suppressions)
{
    public static DeployLintDocument From(LintReport report, bool errorsAllowed) => new(
        report.RevisionsLinted,
        report.RepeatablesLinted,
        report.Count(LintSeverity.Error),
        report.Count(LintSeverity.Warning),
        report.Count(LintSeverity.Notice),
        errorsAllowed && report.HasErrors,
        LintFindingDocument.All(report),
        LintSuppressionDocument.All(report));
}
