namespace ProbeOps.Migrate.Lint;

/// <summary>One rule as reports and the configuration see it.</summary>
/// <param name="Code">The stable code, e.g. <c>PL101</c>.</param>
/// <param name="Title">A few words naming the danger.</param>
/// <param name="DefaultSeverity">The severity before configuration and context.</param>
/// <param name="Summary">One sentence: what the rule finds and why it matters.</param>
public sealed record LintRuleInfo(string Code, string Title, LintSeverity DefaultSeverity, string Summary)
{
    /// <summary>The rule's section in the documentation, relative to the repository.</summary>
    public static string DocsLink(string code) => $"docs/lint.md#{code.ToLowerInvariant()}";
}

/// <summary>The rule catalogue as the configuration, the SARIF writer and the docs link read it.</summary>
public static class LintCatalogue
{
    public static IReadOnlyList<LintRuleInfo> Rules { get; } =
        [.. LintRules.All.Select(r => new LintRuleInfo(r.Code, r.Title, r.Severity, r.Summary)).OrderBy(r => r.Code, StringComparer.Ordinal)];

    public static IReadOnlySet<string> Codes { get; } = Rules.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
}
