using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Files;

/// <summary>The findings of one file's parse, reported together in file order.</summary>
internal sealed class ParseDiagnostics(string path)
{
    private readonly List<Diagnostic> _diagnostics = [];

    public void Error(string code, string message, int line) =>
        _diagnostics.Add(Diagnostic.Error(code, message, path, line));

    /// <summary>The result: <paramref name="file"/> only when no finding is an error.</summary>
    public MigrationFileParseResult Result(MigrationFile? file)
    {
        var sorted = Sorted();
        return new MigrationFileParseResult(sorted.Any(d => d.IsError) ? null : file, sorted);
    }

    /// <summary>Every finding in file order; the sort is stable, so findings on one line keep their order.</summary>
    public Diagnostic[] Sorted() => _diagnostics.OrderBy(d => d.Line ?? 0).ToArray();
}
