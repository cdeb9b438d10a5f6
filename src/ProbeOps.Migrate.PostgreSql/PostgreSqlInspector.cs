using ProbeOps.Migrate.Alembic;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>Tells an empty database from an unversioned or a versioned one, reading only the catalog.</summary>
public sealed class PostgreSqlInspector : IDatabaseInspector
{
    private readonly PostgreSqlExecutor _executor;
    private readonly HistorySql _sql;
    private readonly PostgreSqlHistoryStore _history;
    private readonly string? _targetSchema;

    /// <param name="targetSchema">A schema target's schema: the only one whose objects count; null: every schema.</param>
    internal PostgreSqlInspector(PostgreSqlExecutor executor, HistorySql sql, PostgreSqlHistoryStore history, string? targetSchema = null)
    {
        _executor = executor;
        _sql = sql;
        _history = history;
        _targetSchema = targetSchema;
    }

    public async Task<DatabaseState> GetStateAsync(CancellationToken cancellationToken)
    {
        if (await _history.HasAppliedAsync(cancellationToken))
        {
            return DatabaseState.Versioned;
        }

        var objects = await ListAsync(cancellationToken);
        return objects.Count > 0 ? DatabaseState.Unversioned : DatabaseState.Empty;
    }

    public async Task<IReadOnlyList<string>> ListUserObjectsAsync(CancellationToken cancellationToken)
    {
        var objects = await ListAsync(cancellationToken);
        var names = objects.Select(o => o.DisplayName).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<IReadOnlyList<string>?> ReadAlembicVersionAsync(CancellationToken cancellationToken)
    {
        var table = PostgreSqlSyntax.QualifiedName(PostgreSqlSyntax.SchemaOf(_sql), AlembicAdoption.VersionTable);
        var exists = await _executor.QuerySingleAsync(
            $"SELECT to_regclass({PostgreSqlSyntax.QuoteLiteral(table)}) IS NOT NULL", r => r.GetBoolean(0), cancellationToken);
        return exists
            ? await _executor.QueryAsync($"SELECT version_num::text FROM {table} ORDER BY 1", r => r.GetString(0), cancellationToken)
            : null;
    }

    private async Task<List<PostgreSqlCatalog.UserObject>> ListAsync(CancellationToken cancellationToken)
    {
        var objects = await PostgreSqlCatalog.ListUserObjectsAsync(
            _executor,
            PostgreSqlSyntax.SchemaOf(_sql),
            [.. _sql.History.OwnTables],
            cancellationToken);

        // Tenants in one database: another tenant's tables do not make this one unversioned.
        return _targetSchema is null ? objects : [.. objects.Where(o => o.Schema == _targetSchema)];
    }
}
