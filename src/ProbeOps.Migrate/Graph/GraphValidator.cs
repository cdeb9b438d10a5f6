using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;

namespace ProbeOps.Migrate.Graph;

public sealed record GraphValidationOptions(bool AllowMultipleHeads = false);

/// <summary>The outcome of validation: the graph when one could be built, and every finding.</summary>
public sealed record GraphValidationResult(RevisionGraph? Graph, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>Checks every rule of SPEC §3 over a set of files and reports all problems, not only the first.</summary>
public static class GraphValidator
{
    public static GraphValidationResult Validate(MigrationSet set, GraphValidationOptions options) =>
        throw new NotImplementedException();
}
