namespace ProbeOps.Migrate.Lint;

/// <summary>The rule catalogue as the configuration and the reports read it.</summary>
public static class LintCatalogue
{
    /// <summary>Every rule code, for checking the configuration.</summary>
    public static IReadOnlySet<string> Codes { get; } = LintRules.All.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>The section of <c>docs/lint.md</c> that explains a finding's rule, relative to the repository.</summary>
    public static string DocsLink(string code) => LintRules.Find(code)?.DocsLink ?? "docs/lint.md#" + code.ToLowerInvariant();
}
