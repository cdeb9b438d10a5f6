using static ProbeOps.Migrate.Providers.PostgreSql.PostgreSqlSyntax;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Empties the database for <c>reset</c>, in one transaction: user schemas go whole; the history
/// schema and <c>public</c> stay (migrations expect <c>public</c> to exist) but lose every object
/// except the audit table; extensions other than plpgsql go too.
/// </summary>
public sealed class PostgreSqlCleaner : IDatabaseCleaner
{
    /// <summary>DROP order for the objects of the kept schemas: dependents first, types last.</summary>
    private static readonly (string Kind, string Drop)[] DropOrder =
    [
        ("materialized view", "DROP MATERIALIZED VIEW IF EXISTS {0} CASCADE"),
        ("view", "DROP VIEW IF EXISTS {0} CASCADE"),
        ("foreign table", "DROP FOREIGN TABLE IF EXISTS {0} CASCADE"),
        ("table", "DROP TABLE IF EXISTS {0} CASCADE"),
        ("sequence", "DROP SEQUENCE IF EXISTS {0} CASCADE"),
        ("procedure", "DROP ROUTINE IF EXISTS {0} CASCADE"),
        ("function", "DROP ROUTINE IF EXISTS {0} CASCADE"),
        ("aggregate", "DROP ROUTINE IF EXISTS {0} CASCADE"),
        ("domain", "DROP DOMAIN IF EXISTS {0} CASCADE"),
        ("type", "DROP TYPE IF EXISTS {0} CASCADE"),
    ];

    private readonly PostgreSqlExecutor _executor;
    private readonly HistorySql _sql;

    internal PostgreSqlCleaner(PostgreSqlExecutor executor, HistorySql sql)
    {
        _executor = executor;
        _sql = sql;
    }

    public async Task DropAllAsync(CancellationToken cancellationToken)
    {
        var ownTransaction = !_executor.InTransaction;
        if (ownTransaction)
        {
            await _executor.BeginTransactionAsync(cancellationToken);
        }

        try
        {
            await _executor.RunBatchAsync(await PlanAsync(cancellationToken), cancellationToken);
            if (ownTransaction)
            {
                await _executor.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            if (ownTransaction)
            {
                await _executor.RollbackAsync(cancellationToken);
            }

            throw;
        }
    }

    /// <summary>The DROP statements of <c>reset</c>, a handful whatever the number of objects: one per kind, names listed.</summary>
    internal Task<List<string>> PlanAsync(CancellationToken cancellationToken) => PlanAsync(keepAudit: true, cancellationToken);

    /// <summary>
    /// The DROP statements; without <paramref name="keepAudit"/> (a restore, which carries the audit rows
    /// over itself) the audit table and the history schema go too, and only <c>public</c> is kept.
    /// </summary>
    internal async Task<List<string>> PlanAsync(bool keepAudit, CancellationToken cancellationToken)
    {
        string[] keptSchemas = keepAudit ? [PostgreSqlSyntax.SchemaOf(_sql), PostgreSqlSyntax.DefaultSchema] : [PostgreSqlSyntax.DefaultSchema];
        var extensions = await _executor.QueryAsync(
            "SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname",
            r => r.GetString(0),
            cancellationToken);
        var schemas = await _executor.QueryAsync(
            """
            SELECT n.nspname::text FROM pg_namespace n
            WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND n.nspname <> ALL ($1::text[])
              AND NOT EXISTS (SELECT 1 FROM pg_depend d
                              WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
            ORDER BY 1
            """,
            r => r.GetString(0),
            cancellationToken,
            [keptSchemas]);
        var objects = await PostgreSqlCatalog.ListUserObjectsAsync(
            _executor,
            PostgreSqlSyntax.SchemaOf(_sql),
            keepAudit ? [_sql.History.AuditTable] : [],
            cancellationToken);

        var statements = new List<string>();
        if (extensions.Count > 0)
        {
            statements.Add($"DROP EXTENSION IF EXISTS {string.Join(", ", extensions.Select(QuoteIdentifier))} CASCADE");
        }

        if (schemas.Count > 0)
        {
            statements.Add($"DROP SCHEMA IF EXISTS {string.Join(", ", schemas.Select(QuoteIdentifier))} CASCADE");
        }

        foreach (var (kind, drop) in DropOrder)
        {
            var names = objects
                .Where(o => o.Kind == kind && keptSchemas.Contains(o.Schema, StringComparer.Ordinal))
                .Select(o => o.SqlName)
                .ToList();
            if (names.Count > 0)
            {
                statements.Add(drop.Replace("{0}", string.Join(", ", names), StringComparison.Ordinal));
            }
        }

        // Listed above already when it exists; stated again so a reset never leaves it behind.
        statements.Add($"DROP TABLE IF EXISTS {_sql.HistoryTable}, {_sql.RepeatableTable} CASCADE");
        return statements;
    }
}
