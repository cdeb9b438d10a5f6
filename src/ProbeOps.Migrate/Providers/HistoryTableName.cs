using System.Text;

namespace ProbeOps.Migrate.Providers;

/// <summary>Where the history and audit tables live (SPEC §7).</summary>
/// <param name="Table">The history table, <c>probeops_schema_history</c> by default.</param>
/// <param name="Schema">The schema (PostgreSQL; default <c>public</c>). Ignored where schemas do not exist.</param>
public sealed record HistoryTableName(string Table = HistoryTableName.DefaultTable, string? Schema = null)
{
    public const string DefaultTable = "probeops_schema_history";

    /// <summary>PostgreSQL's identifier limit (NAMEDATALEN - 1): a longer name is silently truncated by the server.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>
    /// The <c>&lt;history table&gt;_&lt;purpose&gt;</c> tables the tool keeps beside the history (SPEC §7).
    /// A new one is added here, so the length check covers it.
    /// </summary>
    public static readonly IReadOnlyList<string> Purposes = ["audit", "schema", "repeatable", "lock"];

    /// <summary>The append-only audit log: <c>&lt;history table&gt;_audit</c>.</summary>
    public string AuditTable => Table + "_audit";

    /// <summary>The applications of repeatable migrations (SPEC §15): <c>&lt;history table&gt;_repeatable</c>.</summary>
    public string RepeatableTable => Table + "_repeatable";
    /// <summary>The schema recorded after the tool's last change: <c>&lt;history table&gt;_schema</c>; <c>reset</c> drops it with the history.</summary>
    public string SchemaTable => Table + "_schema";

    /// <summary>The lock row of a server without advisory locks: <c>&lt;history table&gt;_lock</c>; <c>reset</c> drops it with the history.</summary>
    public string LockTable => Table + "_lock";

    /// <summary>The history table and every table beside it: never part of the schema the migrations manage.</summary>
    public IReadOnlyList<string> OwnTables => [Table, AuditTable, SchemaTable, RepeatableTable, LockTable];

    /// <summary>
    /// Throws (exit 2) when the history table's name, or a table named after it, would not fit
    /// PostgreSQL's identifier limit: the server would truncate it, and two tables could become one.
    /// Checked for every provider, so a project can move from SQLite to PostgreSQL as it is.
    /// </summary>
    public void Validate()
    {
        var longest = Purposes.Select(p => Table + "_" + p).MaxBy(Encoding.UTF8.GetByteCount)!;
        var bytes = Encoding.UTF8.GetByteCount(longest);
        if (bytes > MaxIdentifierBytes)
        {
            var room = MaxIdentifierBytes - (bytes - Encoding.UTF8.GetByteCount(Table));
            throw new MigrateException(
                FailureKind.Usage,
                $"The history table name '{Table}' is too long: the table '{longest}' beside it would be {bytes} bytes, over PostgreSQL's {MaxIdentifierBytes}-byte identifier limit, and PostgreSQL would truncate it. Use a history table name of at most {room} bytes.");
        }
    }
}
