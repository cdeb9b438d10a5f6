using System.Text.Json;

namespace ProbeOps.Migrate.Lint;

/// <summary>Findings and suppressions as JSON, the same in <c>lint --json</c> and the deployment report.</summary>
public static class LintJson
{
    /// <summary>Writes <c>findings</c> and <c>suppressions</c> arrays into the object the caller opened.</summary>
    public static void WriteFindingsAndSuppressions(Utf8JsonWriter w, LintReport report)
    {
        w.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            w.WriteStartObject();
            w.WriteString("code", f.Code);
            w.WriteString("severity", LintText.Name(f.Severity));
            w.WriteString("file", f.File);
            w.WriteNumber("line", f.Line);
            w.WriteNumber("column", f.Column);
            w.WriteString("revision", f.Revision);
            w.WriteString("section", f.Section.ToString().ToLowerInvariant());
            w.WriteString("message", f.Message);
            w.WriteString("fix", f.Fix);
            w.WriteStringOrNull("lock", f.Lock);
            w.WriteStringOrNull("blocks", f.Blocks);
            w.WriteString("statement", f.Statement);
            w.WriteString("docs", LintCatalogue.DocsLink(f.Code));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("suppressions");
        foreach (var s in report.Suppressions)
        {
            w.WriteStartObject();
            w.WriteString("code", s.Code);
            w.WriteString("revision", s.Revision);
            w.WriteString("file", s.File);
            w.WriteNumber("line", s.Line);
            w.WriteString("reason", s.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The counts by severity, for a summary object.</summary>
    public static void WriteCounts(Utf8JsonWriter w, LintReport report)
    {
        w.WriteNumber("revisions", report.RevisionsLinted);
        w.WriteNumber("repeatables", report.RepeatablesLinted);
        w.WriteNumber("errors", report.Count(LintSeverity.Error));
        w.WriteNumber("warnings", report.Count(LintSeverity.Warning));
        w.WriteNumber("notices", report.Count(LintSeverity.Notice));
    }
}
