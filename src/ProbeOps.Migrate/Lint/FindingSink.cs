using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint;

/// <summary>Collects findings: drops disabled rules, applies configured severities and honours suppressions.</summary>
internal sealed class FindingSink(LintOptions options)
{
    private readonly List<(int Order, LintFinding Finding)> _findings = [];
    private readonly List<(int Order, LintSuppression Suppression)> _suppressions = [];
    private readonly HashSet<(string File, int Line, string Code)> _suppressionsSeen = [];

    public void Report(StatementSite site, LintRule rule, string message, string fix, LockMode lockMode, LintSeverity? severity = null)
    {
        if (!site.Checked || options.DisabledRules.Contains(rule.Code))
            return;
        var suppression = site.Suppressions.FirstOrDefault(s => s.Problem is null && s.Codes.Contains(rule.Code, StringComparer.Ordinal));
        if (suppression is not null)
        {
            if (_suppressionsSeen.Add((site.File, suppression.Line, rule.Code)))
                _suppressions.Add((site.Order, new LintSuppression(rule.Code, site.Revision, site.File, suppression.Line, suppression.Reason)));
            return;
        }

        var finalSeverity = options.SeverityOverrides.TryGetValue(rule.Code, out var configured) ? configured : severity ?? rule.DefaultSeverity;
        var (lockName, blocks) = LockModes.Describe(lockMode);
        _findings.Add((site.Order, new LintFinding(
            rule.Code, finalSeverity, site.Revision, site.File, site.Line, site.Column, message, fix, lockName, blocks, site.Text)
        {
            Section = site.Section,
        }));
    }

    /// <summary>Reports every malformed <c>lint:ignore</c> line above the statement (PL001).</summary>
    public void ReportMalformedSuppressions(StatementSite site)
    {
        var rule = LintRules.SuppressionWithoutReason;
        foreach (var line in site.Suppressions)
        {
            if (line.Problem is null || options.DisabledRules.Contains(rule.Code))
                continue;
            var severity = options.SeverityOverrides.TryGetValue(rule.Code, out var configured) ? configured : rule.DefaultSeverity;
            _findings.Add((site.Order, new LintFinding(
                rule.Code,
                severity,
                site.Revision,
                site.File,
                line.Line,
                line.Column,
                $"This lint:ignore {line.Problem}, so it silences nothing.",
                "Write `-- lint:ignore CODE[,CODE...] reason`, with the rule codes of docs/lint.md and why the statement is safe here.",
                null,
                null,
                site.Text)
            {
                Section = site.Section,
            }));
        }
    }

    public LintReport Build(int revisionsLinted)
    {
        var findings = _findings
            .OrderBy(f => f.Order)
            .ThenBy(f => f.Finding.Line)
            .ThenBy(f => f.Finding.Column)
            .ThenBy(f => f.Finding.Code, StringComparer.Ordinal)
            .Select(f => f.Finding)
            .ToList();
        var suppressions = _suppressions.OrderBy(s => s.Order).ThenBy(s => s.Suppression.Line).Select(s => s.Suppression).ToList();
        return new LintReport(findings, suppressions, revisionsLinted);
    }
}

/// <summary>Names of lock modes and what each blocks while held.</summary>
internal static class LockModes
{
    public static (string? Name, string? Blocks) Describe(LockMode mode) => mode switch
    {
        LockMode.AccessExclusive => ("ACCESS EXCLUSIVE", "reads and writes"),
        LockMode.Exclusive => ("EXCLUSIVE", "writes"),
        LockMode.ShareRowExclusive => ("SHARE ROW EXCLUSIVE", "writes"),
        LockMode.Share => ("SHARE", "writes"),
        LockMode.ShareUpdateExclusive => ("SHARE UPDATE EXCLUSIVE", "schema changes and VACUUM"),
        _ => (null, null),
    };

    /// <summary>Whether the mode blocks the application's writes (or more).</summary>
    public static bool BlocksWrites(LockMode mode) => mode >= LockMode.Share;
}
