namespace ProbeOps.Migrate.Schema;

/// <summary>Stable codes of schema findings (PM9xx: the live schema against the expected one).</summary>
public static class SchemaDiagnosticCodes
{
    /// <summary>One difference between the live schema and the expected schema.</summary>
    public const string Drift = "PM901";
}
