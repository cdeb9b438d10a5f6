namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// The deploy flags that accept a risk the deploy would otherwise stop for. In a protected environment each
/// needs <c>--reason</c> (SPEC §14); the reason and the flags given are recorded in the report and the audit
/// log. A new flag of this kind is one more line here.
/// </summary>
public static class RiskAcceptingFlags
{
    private static readonly (string Flag, Func<DeployRequest, bool> IsGiven)[] All =
    [
        ("--allow-drift", request => request.AllowDrift),
        ("--allow-lint-errors", request => request.AllowLintErrors),
    ];

    /// <summary>The risk-accepting flags <paramref name="request"/> gives, in the order above.</summary>
    public static IReadOnlyList<string> In(DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. All.Where(f => f.IsGiven(request)).Select(f => f.Flag)];
    }
}
