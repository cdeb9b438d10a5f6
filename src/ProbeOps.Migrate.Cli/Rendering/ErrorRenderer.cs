using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>Human error output: findings first, then the statement with a caret, then one line saying what went wrong.</summary>
public static class ErrorRenderer
{
    public static void WriteDiagnostics(TextWriter error, IEnumerable<Diagnostic> diagnostics, string workingDirectory)
    {
        foreach (var d in diagnostics)
        {
            error.WriteLine((d with { File = RelativePath(d.File, workingDirectory) }).ToString());
        }
    }

    public static void Write(TextWriter error, MigrateException ex, string workingDirectory)
    {
        WriteDiagnostics(error, ex.Diagnostics.Where(d => d.IsError), workingDirectory);
        if (ex is MigrationFailedException failed && failed.Statement.Length > 0)
        {
            WriteStatement(error, failed);
        }

        error.WriteLine($"error: {ex.Message}");
    }

    /// <summary>The failing statement's line, with a caret under the position the server gave.</summary>
    private static void WriteStatement(TextWriter error, MigrationFailedException failed)
    {
        var text = failed.Statement;
        var position = failed.Position is int p && p > 0 && p <= text.Length ? p - 1 : -1;
        var lineStart = position < 0 ? 0 : text.LastIndexOf('\n', Math.Max(position - 1, 0)) + 1;
        if (position >= 0 && text[position] == '\n')
        {
            lineStart = position;
        }

        var lineEnd = text.IndexOf('\n', lineStart);
        var line = (lineEnd < 0 ? text[lineStart..] : text[lineStart..lineEnd]).TrimEnd();
        var prefix = failed.Line is int n ? $"{n,5} | " : "      | ";
        error.WriteLine(prefix + line);
        if (position >= lineStart)
        {
            error.WriteLine(new string(' ', prefix.Length + Math.Min(position - lineStart, line.Length)) + "^");
        }

        if (failed.Hint is not null)
        {
            error.WriteLine($"hint: {failed.Hint}");
        }
    }

    public static string? RelativePath(string? path, string workingDirectory)
    {
        if (path is null)
        {
            return null;
        }

        var relative = Path.GetRelativePath(workingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
