namespace ProbeOps.Migrate.Graph;

public enum TargetKind
{
    /// <summary>Nothing applied.</summary>
    Base,

    /// <summary>Every head.</summary>
    Heads,

    /// <summary>One revision (and, for an upgrade, its ancestors).</summary>
    Revision,
}

/// <summary>A resolved command target.</summary>
public sealed record Target(TargetKind Kind, string? RevisionId = null)
{
    public static readonly Target Base = new(TargetKind.Base);
    public static readonly Target Heads = new(TargetKind.Heads);

    public static Target Revision(string id) => new(TargetKind.Revision, id);

    public override string ToString() => Kind switch
    {
        TargetKind.Base => "base",
        TargetKind.Heads => "head",
        _ => RevisionId!,
    };
}
