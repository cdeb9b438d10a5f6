using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint;

/// <summary>Where a statement is, and what findings about it need: its position, text and suppressions.</summary>
/// <param name="Order">The revision's position in the graph's order, for sorting findings.</param>
/// <param name="Checked">Whether the revision is one being linted (others are read only for what they did).</param>
internal sealed record StatementSite(
    string Revision,
    string File,
    int Order,
    bool Checked,
    int Line,
    int Column,
    SqlStatement Statement,
    LintSection Section,
    int CodeStart,
    IReadOnlyList<SuppressionLine> Suppressions)
{
    /// <summary>The statement from its first code token: what a caret display shows. Cut only when a finding needs it.</summary>
    public string Text => Statement.Text[CodeStart..];

    /// <summary>The site of <paramref name="statement"/>, placed at its first code token (after leading comments).</summary>
    public static StatementSite Create(
        string revision, string file, int order, bool check, LintSection section, SqlStatement statement, StatementTokens tokens)
    {
        var codeStart = tokens.CodeStart;
        var head = statement.Text.AsSpan(0, codeStart);
        var newlines = head.Count('\n');
        var line = statement.Line + newlines;
        var column = newlines == 0 ? statement.Column + codeStart : codeStart - head.LastIndexOf('\n');
        var suppressions = check ? SuppressionReader.Read(statement.Text, codeStart, statement.Line, statement.Column) : [];
        return new StatementSite(revision, file, order, check, line, column, statement, section, codeStart, suppressions);
    }

    /// <summary>The revision, file and line, for messages that point at this statement from another.</summary>
    public string Where => $"{System.IO.Path.GetFileName(File)}:{Line}";
}
