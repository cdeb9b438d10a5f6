using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Reads a SQLite schema from <c>sqlite_master</c> and the <c>pragma_*</c> table functions, joined
/// over every table at once (no query per table), in one read transaction. Everything lives in the
/// schema <c>main</c>. SQLite keeps no structured form of CHECK constraints or generated-column
/// expressions, so each table also carries its CREATE TABLE text, compared only when nothing else
/// of the table differs.
/// </summary>
internal sealed class SqliteSchemaReader(SqliteSession session, SqliteConnection connection, HistoryTableName history) : ISchemaReader
{
    public const string MainSchema = "main";

    private const string UserTable =
        "m.type = 'table' AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' AND m.name COLLATE NOCASE NOT IN ($history, $audit, $schema, $repeatable, $alembic)";

    private static readonly string Batch =
        $"""
        SELECT m.type, m.name, m.tbl_name, m.sql FROM sqlite_master m
        WHERE m.type IN ('table', 'view', 'index', 'trigger') AND m.sql IS NOT NULL
          AND m.name NOT LIKE 'sqlite!_%' ESCAPE '!' AND m.tbl_name COLLATE NOCASE NOT IN ($history, $audit, $schema, $repeatable, $alembic);
        SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
        FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c
        WHERE {UserTable} AND m.sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY m.name, c.cid;
        SELECT m.name, il.name, il."unique", il.origin, il.partial
        FROM sqlite_master m JOIN pragma_index_list(m.name) il
        WHERE {UserTable} AND m.sql NOT LIKE 'CREATE VIRTUAL%';
        SELECT il.name, ix.seqno, ix.name, ix."desc", ix.coll, ix.cid
        FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ix
        WHERE {UserTable} AND m.sql NOT LIKE 'CREATE VIRTUAL%' AND ix.key = 1 ORDER BY il.name, ix.seqno;
        SELECT m.name, fk.id, fk.seq, fk."table", fk."from", fk."to", fk.on_update, fk.on_delete, fk."match"
        FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk
        WHERE {UserTable} AND m.sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY m.name, fk.id, fk.seq;
        """;

    public async Task<SchemaReadResult> ReadAsync(SchemaReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ownTransaction = !session.Executor.InTransaction;
        await using var command = connection.CreateCommand();
        command.CommandText = (ownTransaction ? "BEGIN DEFERRED;\n" : "") + Batch;
        command.Parameters.AddWithValue("$history", history.Table);
        command.Parameters.AddWithValue("$audit", history.AuditTable);
        command.Parameters.AddWithValue("$repeatable", history.RepeatableTable);
        command.Parameters.AddWithValue("$schema", history.SchemaTable);
        command.Parameters.AddWithValue("$alembic", AlembicAdoption.VersionTable);
        var rows = new Rows();
        try
        {
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await rows.ReadAsync(reader, cancellationToken);
            }
        }
        catch (SqliteException e)
        {
            throw new MigrateException(FailureKind.Internal, $"Reading the schema of {session.Target.Display} failed: {SqliteExecutor.NativeMessage(e)}", e);
        }
        finally
        {
            if (ownTransaction && session.Executor.InTransaction)
            {
                await using var end = connection.CreateCommand();
                end.CommandText = "COMMIT";
                await end.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        return new SchemaReadResult(rows.Build(session.ServerVersionNumber), RoundTrips: 1, Queries: 5);
    }

    public async Task<RecordedSchema?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $schema COLLATE NOCASE)";
        command.Parameters.AddWithValue("$schema", history.SchemaTable);
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        command.CommandText = session.HistorySql.SelectSchemaRecord().Text;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RecordedSchema(
                DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4))
            : null;
    }

    private sealed class Rows
    {
        private readonly List<(string Type, string Name, string Table, string Sql)> _objects = [];
        private readonly Dictionary<string, List<(string Name, string Type, bool NotNull, string? Default, int Pk, int Hidden)>> _columns = new(StringComparer.Ordinal);
        private readonly List<(string Table, string Name, bool Unique, string Origin, bool Partial)> _indexes = [];
        private readonly Dictionary<string, List<string>> _indexColumns = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Table, long Id), ForeignKey> _foreignKeys = [];

        public async Task ReadAsync(SqliteDataReader r, CancellationToken ct)
        {
            // BEGIN, when sent, yields no result set; the reader starts at the first SELECT.
            await EachAsync(r, ct, () => _objects.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3))));
            await NextAsync(r, ct, () =>
            {
                var table = r.GetString(0);
                if (!_columns.TryGetValue(table, out var list))
                {
                    _columns[table] = list = [];
                }

                list.Add((r.GetString(2), r.IsDBNull(3) ? "" : r.GetString(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6), r.GetInt32(7)));
            });
            await NextAsync(r, ct, () => _indexes.Add((r.GetString(0), r.GetString(1), r.GetInt64(2) != 0, r.GetString(3), r.GetInt64(4) != 0)));
            await NextAsync(r, ct, () =>
            {
                var index = r.GetString(0);
                if (!_indexColumns.TryGetValue(index, out var list))
                {
                    _indexColumns[index] = list = [];
                }

                var column = r.IsDBNull(2) ? (r.GetInt64(5) == -1 ? "rowid" : "<expression>") : Quote(r.GetString(2));
                var collation = r.IsDBNull(4) ? "BINARY" : r.GetString(4);
                list.Add(column + (string.Equals(collation, "BINARY", StringComparison.OrdinalIgnoreCase) ? "" : " COLLATE " + collation) + (r.GetInt64(3) != 0 ? " DESC" : ""));
            });
            await NextAsync(r, ct, () =>
            {
                var key = (r.GetString(0), r.GetInt64(1));
                if (!_foreignKeys.TryGetValue(key, out var fk))
                {
                    _foreignKeys[key] = fk = new ForeignKey(r.GetString(3), r.GetString(6), r.GetString(7), r.GetString(8));
                }

                fk.From.Add(r.GetString(4));
                fk.To.Add(r.IsDBNull(5) ? "" : r.GetString(5));
            });
        }

        private static async Task EachAsync(SqliteDataReader r, CancellationToken ct, Action read)
        {
            while (await r.ReadAsync(ct))
            {
                read();
            }
        }

        private static async Task NextAsync(SqliteDataReader r, CancellationToken ct, Action read)
        {
            if (!await r.NextResultAsync(ct))
            {
                throw new InvalidOperationException("The schema batch returned fewer result sets than it has queries.");
            }

            await EachAsync(r, ct, read);
        }

        public DatabaseSchema Build(int version)
        {
            var tables = new Dictionary<string, TableDefinition>(StringComparer.OrdinalIgnoreCase);
            var views = new Dictionary<string, ViewDefinition>(StringComparer.OrdinalIgnoreCase);
            AddTablesAndViews(tables, views);
            AddIndexes(tables);
            AddForeignKeys(tables);
            AddTriggers(tables, views);
            return new DatabaseSchema
            {
                Provider = SqliteProvider.ProviderName,
                ServerMajor = version,
                Tables = [.. tables.Values],
                Views = [.. views.Values],
            }.Normalized();
        }

        private void AddTablesAndViews(Dictionary<string, TableDefinition> tables, Dictionary<string, ViewDefinition> views)
        {
            foreach (var (type, name, _, sql) in _objects)
            {
                if (type == "table")
                {
                    tables[name] = TableOf(name, sql);
                }
                else if (type == "view")
                {
                    views[name] = new ViewDefinition { Schema = MainSchema, Name = name, Definition = sql.Trim() };
                }
            }
        }

        /// <summary>Unique constraints and <c>CREATE INDEX</c> indexes; a primary key's own index is left out.</summary>
        private void AddIndexes(Dictionary<string, TableDefinition> tables)
        {
            var explicitIndexes = _objects.Where(o => o.Type == "index").ToDictionary(o => o.Name, o => o.Sql, StringComparer.OrdinalIgnoreCase);
            foreach (var (table, name, unique, origin, partial) in _indexes)
            {
                if (!tables.TryGetValue(table, out var definition))
                {
                    continue;
                }

                var columns = _indexColumns.GetValueOrDefault(name) ?? [];
                if (origin == "u")
                {
                    var text = "UNIQUE (" + string.Join(", ", columns) + ")";
                    tables[table] = definition with { Constraints = [.. definition.Constraints, new ConstraintDefinition { Name = text, Type = "unique", Definition = text }] };
                }
                else if (origin == "c")
                {
                    tables[table] = definition with
                    {
                        Indexes =
                        [
                            .. definition.Indexes,
                            new IndexDefinition
                            {
                                Name = name,
                                Unique = unique,
                                Method = "btree",
                                Columns = columns,
                                Predicate = partial ? "(partial)" : null,
                                Definition = explicitIndexes.GetValueOrDefault(name)?.Trim(),
                            },
                        ],
                    };
                }
            }
        }

        private void AddForeignKeys(Dictionary<string, TableDefinition> tables)
        {
            foreach (var ((table, _), fk) in _foreignKeys.OrderBy(f => f.Key.Id))
            {
                if (!tables.TryGetValue(table, out var definition))
                {
                    continue;
                }

                var name = $"FOREIGN KEY ({string.Join(", ", fk.From.Select(Quote))}) REFERENCES {Quote(fk.Table)}" +
                           (fk.To.All(t => t.Length == 0) ? "" : $" ({string.Join(", ", fk.To.Select(Quote))})");
                var text = new StringBuilder(name);
                if (!string.Equals(fk.OnUpdate, "NO ACTION", StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(" ON UPDATE ").Append(fk.OnUpdate);
                }

                if (!string.Equals(fk.OnDelete, "NO ACTION", StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(" ON DELETE ").Append(fk.OnDelete);
                }

                if (!string.Equals(fk.Match, "NONE", StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(" MATCH ").Append(fk.Match);
                }

                tables[table] = definition with { Constraints = [.. definition.Constraints, new ConstraintDefinition { Name = name, Type = "foreign key", Definition = text.ToString() }] };
            }
        }

        private void AddTriggers(Dictionary<string, TableDefinition> tables, Dictionary<string, ViewDefinition> views)
        {
            foreach (var (_, name, owner, sql) in _objects.Where(o => o.Type == "trigger"))
            {
                var trigger = new TriggerDefinition { Name = name, Definition = sql.Trim() };
                if (tables.TryGetValue(owner, out var table))
                {
                    tables[owner] = table with { Triggers = [.. table.Triggers, trigger] };
                }
                else if (views.TryGetValue(owner, out var view))
                {
                    views[owner] = view with { Triggers = [.. view.Triggers, trigger] };
                }
            }
        }

        private TableDefinition TableOf(string name, string sql)
        {
            var isVirtual = sql.StartsWith("CREATE VIRTUAL", StringComparison.OrdinalIgnoreCase);
            var columns = new List<ColumnDefinition>();
            var primaryKey = new SortedList<int, string>();
            var position = 0;
            foreach (var column in _columns.GetValueOrDefault(name) ?? [])
            {
                if (column.Hidden == 1)
                {
                    continue;
                }

                columns.Add(new ColumnDefinition
                {
                    Name = column.Name,
                    Position = ++position,
                    Type = column.Type,
                    NotNull = column.NotNull,
                    Default = column.Default,
                    Generated = column.Hidden switch
                    {
                        2 => "VIRTUAL",
                        3 => "STORED",
                        _ => null,
                    },
                });
                if (column.Pk > 0)
                {
                    primaryKey[column.Pk] = Quote(column.Name);
                }
            }

            var constraints = new List<ConstraintDefinition>();
            if (primaryKey.Count > 0)
            {
                constraints.Add(new ConstraintDefinition
                {
                    Name = "PRIMARY KEY",
                    Type = "primary key",
                    Definition = "PRIMARY KEY (" + string.Join(", ", primaryKey.Values) + ")",
                });
            }

            return new TableDefinition
            {
                Schema = MainSchema,
                Name = name,
                Kind = isVirtual ? "virtual table" : null,
                Columns = columns,
                Constraints = constraints,
                Definition = sql.Trim(),
            };
        }

        private static string Quote(string name) => SchemaNames.Quote(name);

        private sealed class ForeignKey(string table, string onUpdate, string onDelete, string match)
        {
            public string Table { get; } = table;

            public string OnUpdate { get; } = onUpdate;

            public string OnDelete { get; } = onDelete;

            public string Match { get; } = match;

            public List<string> From { get; } = [];

            public List<string> To { get; } = [];
        }
    }
}
