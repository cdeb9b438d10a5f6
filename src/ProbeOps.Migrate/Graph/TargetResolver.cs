namespace ProbeOps.Migrate.Graph;

/// <summary>
/// Turns a user's target into a <see cref="Target"/>: <c>head</c>/<c>heads</c>, <c>base</c>, a full id,
/// a unique prefix, <c>+N</c> (N steps up from the applied head) or <c>-N</c> (N steps down).
/// </summary>
public static class TargetResolver
{
    /// <summary>Throws <see cref="MigrateException"/> (Usage) for an unknown, ambiguous or out-of-range target.</summary>
    public static Target Resolve(RevisionGraph graph, string target, IReadOnlySet<string> applied) =>
        throw new NotImplementedException();
}
