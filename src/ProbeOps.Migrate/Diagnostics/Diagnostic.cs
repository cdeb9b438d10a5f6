namespace ProbeOps.Migrate.Diagnostics;

/// <summary>How serious a finding is. Errors fail validation; warnings and information do not.</summary>
public enum DiagnosticSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>
/// One finding about migration files or the revision graph. Parsing and validation collect these
/// instead of throwing, so a user sees every problem in one run.
/// </summary>
/// <param name="Code">A stable code such as <c>PM104</c> (see <see cref="DiagnosticCodes"/>).</param>
/// <param name="Severity">Whether the finding fails validation.</param>
/// <param name="Message">One sentence saying what is wrong and, where it helps, what to do.</param>
/// <param name="File">The file the finding is about, when there is one.</param>
/// <param name="Line">The 1-based line in <paramref name="File"/>, when there is one.</param>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, string? File = null, int? Line = null)
{
    public static Diagnostic Error(string code, string message, string? file = null, int? line = null) =>
        new(code, DiagnosticSeverity.Error, message, file, line);

    public static Diagnostic Warning(string code, string message, string? file = null, int? line = null) =>
        new(code, DiagnosticSeverity.Warning, message, file, line);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>
    /// Every revision the finding is about, when it names a list (heads, bases, a cycle). The message
    /// shows the first few (<see cref="ShortList"/>); <c>--json</c> shows them all.
    /// </summary>
    public IReadOnlyList<string> Revisions { get; init; } = [];

    /// <summary>The compiler-style form: <c>file:line: error PM104: message</c>.</summary>
    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var location = File is null ? "" : Line is int line ? $"{File}:{line}: " : $"{File}: ";
        return $"{location}{severity} {Code}: {Message}";
    }
}
