using ProbeOps.Migrate.Lint;
using static ProbeOps.Migrate.Tests.Lint.LintTestSupport;

namespace ProbeOps.Migrate.Tests.Lint;

public sealed class LintSuppressionTests
{
    [Fact]
    public void A_lint_ignore_with_a_reason_silences_its_codes_for_the_statement_below_and_is_reported()
    {
        var report = LintChild("""
            -- lint:ignore PL101,PL152 accounts holds twelve rows in every environment
            CREATE INDEX ix ON accounts (email);
            CREATE INDEX iy ON accounts (name);
            """);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(("PL101", 7), (finding.Code, finding.Line));
        var suppression = Assert.Single(report.Suppressions);
        Assert.Equal(("PL101", "20250102_change", 5), (suppression.Code, suppression.Revision, suppression.Line));
        Assert.Equal("accounts holds twelve rows in every environment", suppression.Reason);
    }

    [Theory]
    [InlineData("-- lint:ignore PL101", "gives no reason")]
    [InlineData("-- lint:ignore PL999 small table", "unknown rule code PL999")]
    [InlineData("-- lint:ignore", "names no rule code")]
    public void A_malformed_lint_ignore_is_an_error_and_silences_nothing(string comment, string problem)
    {
        var report = LintChild(comment + "\nCREATE INDEX ix ON accounts (email);");
        Assert.Equal("PL001,PL101", Codes(report));
        var malformed = report.Findings.Single(f => f.Code == "PL001");
        Assert.Equal((5, 1, LintSeverity.Error), (malformed.Line, malformed.Column, malformed.Severity));
        Assert.Contains(problem, malformed.Message, StringComparison.Ordinal);
        Assert.Empty(report.Suppressions);
    }

    [Fact]
    public void A_lint_ignore_separated_from_the_statement_by_a_blank_line_does_not_apply()
    {
        var report = LintChild("-- lint:ignore PL101 small table\n\nCREATE INDEX ix ON accounts (email);");
        Assert.Equal("PL101", Codes(report));
        Assert.Empty(report.Suppressions);
    }
}
