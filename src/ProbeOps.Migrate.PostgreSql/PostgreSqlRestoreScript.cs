using System.Text;
using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlSyntax;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The SQL that <c>restore</c> wraps around a backup's script (SPEC §5): one transaction, opened and
/// committed here, so input cut short never commits; first every object of the database is dropped,
/// so objects created after the backup do not survive it; last the audit rows that existed before the
/// restore replace the backup's older copy of the log, ids and all.
/// </summary>
internal sealed class PostgreSqlRestoreScript(HistorySql sql)
{
    /// <summary>A temporary table of the restoring session, dropped at its commit.</summary>
    private const string KeptAudit = "probeops_kept_audit";

    private const string Columns = "id, " + HistorySql.AuditColumns;

    /// <summary>Opens the transaction, keeps the audit rows aside (when there is a log), then drops <paramref name="drops"/>.</summary>
    public string Head(bool auditExists, IReadOnlyList<string> drops)
    {
        ArgumentNullException.ThrowIfNull(drops);
        var text = new StringBuilder("BEGIN;\n");
        if (auditExists)
        {
            // No row may be appended between the copy and the drop: it would be lost.
            text.Append("LOCK TABLE ").Append(sql.AuditTable).Append(" IN ACCESS EXCLUSIVE MODE;\n");
            text.Append("CREATE TEMPORARY TABLE ").Append(KeptAudit).Append(" ON COMMIT DROP AS SELECT * FROM ").Append(sql.AuditTable).Append(";\n");

            // A log from before the environment column carries its rows over with none.
            text.Append("ALTER TABLE pg_temp.").Append(KeptAudit).Append(" ADD COLUMN IF NOT EXISTS ").Append(HistorySql.AuditEnvironmentColumn).Append(" text;\n");
        }

        foreach (var drop in drops)
        {
            text.Append(drop).Append(";\n");
        }

        return text.ToString();
    }

    /// <summary>Puts the kept audit rows back in place of the backup's (when there were any), then commits.</summary>
    public string Tail(bool auditExists)
    {
        var text = new StringBuilder("\n");
        if (auditExists)
        {
            foreach (var statement in sql.CreateAuditTable())
            {
                text.Append(statement.Text).Append(";\n");
            }

            // The backup's own log may be older than the environment column.
            text.Append(sql.AddAuditEnvironmentColumn(ifNotExists: true).Text).Append(";\n");

            text.Append("DELETE FROM ").Append(sql.AuditTable).Append(";\n");
            text.Append("INSERT INTO ").Append(sql.AuditTable).Append(" (").Append(Columns).Append(") OVERRIDING SYSTEM VALUE SELECT ")
                .Append(Columns).Append(" FROM pg_temp.").Append(KeptAudit).Append(" ORDER BY id;\n");
            text.Append("SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(").Append(QuoteLiteral(sql.AuditTable)).Append(", 'id'), max(id)) FROM ")
                .Append(sql.AuditTable).Append(" HAVING max(id) IS NOT NULL;\n");
        }

        return text.Append("COMMIT;\n").ToString();
    }
}
