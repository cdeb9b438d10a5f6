using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Reads <c>sqlite_master</c> (the pre-3.33 name of <c>sqlite_schema</c>, so system SQLite libraries work
/// too). User objects are tables, views, explicit indexes and triggers; SQLite's own <c>sqlite_*</c> objects,
/// automatic indexes and everything belonging to the history and audit tables are not.
/// </summary>
internal sealed class SqliteInspector(SqliteConnection connection, HistoryTableName history) : IDatabaseInspector
{
    /// <summary>A user object in <c>sqlite_master</c>.</summary>
    internal sealed record SchemaObject(string Type, string Name, bool IsVirtualTable);

    public async Task<DatabaseState> GetStateAsync(CancellationToken cancellationToken)
    {
        if (await TableExistsAsync(history.Table, cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {SqliteDialect.Instance.QuoteIdentifier(history.Table)})";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0)
            {
                return DatabaseState.Versioned;
            }
        }

        return (await ListObjectsAsync(cancellationToken)).Count > 0 ? DatabaseState.Unversioned : DatabaseState.Empty;
    }

    public async Task<IReadOnlyList<string>> ListUserObjectsAsync(CancellationToken cancellationToken)
    {
        var objects = await ListObjectsAsync(cancellationToken);
        var names = new List<string>(objects.Count);
        foreach (var item in objects)
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async Task<IReadOnlyList<string>?> ReadAlembicVersionAsync(CancellationToken cancellationToken)
    {
        if (!await TableExistsAsync(AlembicAdoption.VersionTable, cancellationToken))
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT CAST(version_num AS TEXT) FROM {AlembicAdoption.VersionTable} ORDER BY 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var revisions = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            revisions.Add(reader.GetString(0));
        }

        return revisions;
    }

    /// <summary>Whether a table exists; SQLite compares names case-insensitively (ASCII), and so does this.</summary>
    internal async Task<bool> TableExistsAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name COLLATE NOCASE)";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    /// <summary>Whether <paramref name="table"/> of the attached database <paramref name="schema"/> has <paramref name="column"/>.</summary>
    internal static async Task<bool> ColumnExistsAsync(SqliteConnection connection, string schema, string table, string column, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM pragma_table_info($table, $schema) WHERE name = $column COLLATE NOCASE)";
        command.Parameters.AddWithValue("$table", table);
        command.Parameters.AddWithValue("$schema", schema);
        command.Parameters.AddWithValue("$column", column);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    internal Task<bool> ColumnExistsAsync(string table, string column, CancellationToken cancellationToken) =>
        ColumnExistsAsync(connection, "main", table, column, cancellationToken);

    /// <summary>The user objects, in <c>sqlite_master</c> order.</summary>
    internal async Task<IReadOnlyList<SchemaObject>> ListObjectsAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();

        // Automatic indexes have no SQL; names starting sqlite_ are reserved for SQLite itself.
        command.CommandText = """
            SELECT type, name, sql LIKE 'CREATE VIRTUAL TABLE%'
            FROM sqlite_master
            WHERE type IN ('table', 'view', 'index', 'trigger')
              AND sql IS NOT NULL
              AND name NOT LIKE 'sqlite!_%' ESCAPE '!'
              AND tbl_name COLLATE NOCASE NOT IN ($history, $audit, $schema, $repeatable)
            ORDER BY rowid
            """;
        command.Parameters.AddWithValue("$history", history.Table);
        command.Parameters.AddWithValue("$audit", history.AuditTable);
        command.Parameters.AddWithValue("$repeatable", history.RepeatableTable);
        command.Parameters.AddWithValue("$schema", history.SchemaTable);
        var objects = new List<SchemaObject>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            objects.Add(new SchemaObject(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return objects;
    }
}
