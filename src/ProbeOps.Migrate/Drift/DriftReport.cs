using System.Text;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>What <c>drift</c> found: the live schema against the expected one at the database's revisions.</summary>
/// <param name="Database">The database, masked.</param>
/// <param name="Heads">The database's applied heads; empty when nothing is applied.</param>
/// <param name="Expected">Where the expected schema came from (cache, shadow replay, snapshot).</param>
/// <param name="Comparison">The differences and notes.</param>
/// <param name="Elapsed">How long the check took, replay included.</param>
/// <param name="LiveRoundTrips">Round trips spent reading the live schema.</param>
public sealed record DriftReport(
    string Database,
    IReadOnlyList<string> Heads,
    ExpectedSchema Expected,
    SchemaComparison Comparison,
    TimeSpan Elapsed,
    int LiveRoundTrips)
{
    public bool HasDrift => Comparison.HasDrift;

    /// <summary>Which check ran: <c>shadow-replay</c>, <c>cached-replay</c>, <c>snapshot</c> or <c>recorded-schema</c>.</summary>
    public string Check => DriftChecks.Of(Expected.Source);

    /// <summary>The exit code of <c>drift</c>: 9 on drift, 0 when equal.</summary>
    public int ExitCode => HasDrift ? (int)FailureKind.Drift : 0;

    /// <summary>The human report: differences grouped by the object they belong to, then notes.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var at = Heads.Count == 0 ? "base (nothing applied)" : string.Join(", ", Heads);
        text.Append("Database: ").Append(Database).Append('\n');
        text.Append("Revision: ").Append(at).Append('\n');
        text.Append("Check: ").Append(DriftChecks.Describe(Check)).Append('\n');
        text.Append("Expected: ").Append(Expected.Description).Append('\n');
        if (Comparison.ExcludedCount > 0)
        {
            text.Append("Excluded: ").Append(Comparison.ExcludedCount).Append(Comparison.ExcludedCount == 1 ? " object" : " objects").Append(" (--exclude)\n");
        }

        text.Append('\n');
        DriftText.AppendDifferences(text, Comparison);
        foreach (var note in Comparison.Notes)
        {
            text.Append("note: ").Append(note).Append('\n');
        }

        text.Append(HasDrift
            ? $"Schema drift: {DriftText.Count(Comparison.Differences.Count)} between the database and its migrations at {at}.\n"
            : $"No drift: the schema matches its migrations at {at}.\n");
        return text.ToString();
    }
}

/// <summary>How differences read as text, shared by <c>drift</c>, <c>preflight</c> and <c>deploy</c>.</summary>
public static class DriftText
{
    public static string Count(int differences) => differences == 1 ? "1 difference" : $"{differences} differences";

    /// <summary>
    /// Differences grouped under their top-level object (<c>table public.users</c>), one per line;
    /// a multi-line value (a function body, a view) shows the lines that differ as <c>-</c> expected / <c>+</c> actual.
    /// </summary>
    public static void AppendDifferences(StringBuilder text, SchemaComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(comparison);
        string? group = null;
        foreach (var difference in comparison.Differences)
        {
            var owner = $"{difference.OwnerKind.Describe()} {difference.Owner}";
            if (!string.Equals(owner, group, StringComparison.Ordinal))
            {
                group = owner;
                text.Append(owner).Append('\n');
            }

            if (!difference.IsMultiLine)
            {
                text.Append("  ").Append(difference).Append('\n');
                continue;
            }

            text.Append("  ~ ").Append(difference.Kind.Describe()).Append(' ').Append(difference.Name).Append(": ").Append(difference.Property).Append(" differs\n");
            AppendLineDiff(text, difference.Expected ?? "", difference.Actual ?? "", "      ");
        }
    }

    /// <summary>The lines between the common head and tail of two texts: enough to see a change in a body.</summary>
    public static void AppendLineDiff(StringBuilder text, string expected, string actual, string indent)
    {
        ArgumentNullException.ThrowIfNull(text);
        var a = (expected ?? "").Split('\n');
        var b = (actual ?? "").Split('\n');
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[a.Length - 1 - tail] == b[b.Length - 1 - tail])
        {
            tail++;
        }

        for (var i = head; i < a.Length - tail; i++)
        {
            text.Append(indent).Append("- ").Append(a[i].TrimEnd()).Append('\n');
        }

        for (var i = head; i < b.Length - tail; i++)
        {
            text.Append(indent).Append("+ ").Append(b[i].TrimEnd()).Append('\n');
        }
    }
}
