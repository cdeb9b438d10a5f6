namespace ProbeOps.Migrate.Providers;

/// <summary>Where the history and audit tables live (SPEC §7).</summary>
/// <param name="Table">The history table, <c>probeops_schema_history</c> by default.</param>
/// <param name="Schema">The schema (PostgreSQL; default <c>public</c>). Ignored where schemas do not exist.</param>
public sealed record HistoryTableName(string Table = HistoryTableName.DefaultTable, string? Schema = null)
{
    public const string DefaultTable = "probeops_schema_history";

    /// <summary>The append-only audit log: <c>&lt;history table&gt;_audit</c>.</summary>
    public string AuditTable => Table + "_audit";
}
