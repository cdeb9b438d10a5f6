namespace ProbeOps.Migrate.Lint;

// Placeholder until the engine lands: finds nothing, knows no rules.
public sealed class MigrationLinter : IMigrationLinter
{
    public LintReport Lint(Graph.RevisionGraph graph, IReadOnlyList<Graph.Revision> revisions, LintOptions options) => new([], [], revisions.Count);
}

public sealed record LintRule(string Code, LintSeverity Severity, string Title, string Summary);

public static class LintRules
{
    public static IReadOnlyList<LintRule> All { get; } = [new("PL101", LintSeverity.Error, "index build without CONCURRENTLY", "x"), new("PL105", LintSeverity.Warning, "y", "y")];
}
