using System.Data;
using Npgsql;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads a PostgreSQL schema from <c>pg_catalog</c>: the queries of
/// <see cref="PostgreSqlSchemaQueries"/> go to the server as one batch in one
/// <c>REPEATABLE READ READ ONLY</c> transaction with <c>search_path</c> set to <c>''</c>, and the
/// rows are joined by OID in memory. The cost is one round trip whatever the number of tables.
/// </summary>
public sealed class PostgreSqlSchemaInspector : ISchemaInspector
{
    private readonly PostgreSqlSession _session;
    private readonly TimeProvider _time;

    internal PostgreSqlSchemaInspector(PostgreSqlSession session, TimeProvider time)
    {
        _session = session;
        _time = time;
    }

    public async Task<SchemaReadResult> ReadAsync(SchemaReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_session.Executor.InTransaction)
        {
            throw new InvalidOperationException("The schema is read in a transaction of its own: commit or roll back the open one first.");
        }

        var version = _session.ServerVersionNumber;
        var history = _session.HistorySql;
        var queries = new List<string>
        {
            PostgreSqlSchemaQueries.Schemas,
            PostgreSqlSchemaQueries.Extensions,
            PostgreSqlSchemaQueries.Relations,
            PostgreSqlSchemaQueries.Sequences,
            PostgreSqlSchemaQueries.Columns,
            PostgreSqlSchemaQueries.Constraints,
            PostgreSqlSchemaQueries.Indexes(version),
            PostgreSqlSchemaQueries.Triggers(version),
            PostgreSqlSchemaQueries.Policies,
            PostgreSqlSchemaQueries.Routines,
            PostgreSqlSchemaQueries.Types,
            PostgreSqlSchemaQueries.Comments,
        };
        if (options.IncludePrivileges)
        {
            queries.Add(PostgreSqlSchemaQueries.Privileges);
            queries.Add(PostgreSqlSchemaQueries.Roles);
        }

        var connection = _session.Connection;
        await using var batch = new NpgsqlBatch(connection);

        // One snapshot for every query; the first statement returns a row, so each query's result set is the next one.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
        // JIT would spend more compiling these catalog queries (their estimates are large) than running them.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true)"));
        for (var i = 0; i < queries.Count; i++)
        {
            var command = new NpgsqlBatchCommand(queries[i]);
            if (ReferenceEquals(queries[i], PostgreSqlSchemaQueries.Relations))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = PostgreSqlSyntax.SchemaOf(history) });
                command.Parameters.Add(new NpgsqlParameter { Value = new[] { history.History.Table, history.History.AuditTable } });
            }

            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var reader = new CatalogRows();
        try
        {
            await using (var results = await batch.ExecuteReaderAsync(cancellationToken))
            {
                // set_config's row.
                await SkipAsync(results, cancellationToken);
                await reader.ReadAsync(results, options.IncludePrivileges, cancellationToken);
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            await RollBackAsync(connection);
            var failure = PostgreSqlExecutor.Map(e, connection);
            throw new MigrateException(
                failure.IsConnectionLost ? FailureKind.DatabaseUnreachable : FailureKind.Internal,
                $"Reading the schema of {_session.Target.Display} failed: {failure.Message}",
                e);
        }
        catch
        {
            await RollBackAsync(connection);
            throw;
        }

        var schema = reader.Build(_session.ServerVersionNumber / 10000, options.IncludePrivileges);
        return new SchemaReadResult(schema, RoundTrips: 1, Queries: queries.Count);
    }

    public async Task<IShadowDatabase> CreateShadowAsync(SessionOptions options, CancellationToken cancellationToken) =>
        await PostgreSqlShadowDatabase.CreateAsync(_session, options, _time, cancellationToken);

    private static async Task SkipAsync(NpgsqlDataReader results, CancellationToken cancellationToken)
    {
        while (await results.ReadAsync(cancellationToken))
        {
        }
    }

    /// <summary>After a failed batch the transaction may be open and aborted; end it so the session stays usable.</summary>
    private static async Task RollBackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("ROLLBACK") } };
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection is gone; the server has rolled back already.
        }
    }

    /// <summary>The rows of every query, by OID, and the model built from them.</summary>
    private sealed class CatalogRows
    {
        private readonly List<(uint Oid, string Name)> _schemas = [];
        private readonly List<ExtensionDefinition> _extensions = [];
        private readonly List<Relation> _relations = [];
        private readonly Dictionary<uint, SequenceRow> _sequences = [];
        private readonly Dictionary<uint, List<ColumnRow>> _columns = [];
        private readonly List<ConstraintRow> _constraints = [];
        private readonly List<IndexRow> _indexes = [];
        private readonly List<(uint Oid, uint Table, TriggerDefinition Trigger)> _triggers = [];
        private readonly List<(uint Oid, uint Table, PolicyDefinition Policy)> _policies = [];
        private readonly List<(uint Oid, RoutineDefinition Routine)> _routines = [];
        private readonly List<TypeRow> _types = [];
        private readonly Dictionary<(string Catalog, uint Oid, int Sub), string> _comments = [];
        private readonly Dictionary<(string Catalog, uint Oid), List<(uint Grantee, string Privilege, bool Grantable)>> _grants = [];
        private readonly Dictionary<uint, string> _roles = [];

        public async Task ReadAsync(NpgsqlDataReader r, bool privileges, CancellationToken ct)
        {
            await NextAsync(r, ct, () => _schemas.Add((Oid(r, 0), r.GetString(1))));
            await NextAsync(r, ct, () => _extensions.Add(new ExtensionDefinition { Name = r.GetString(1), Schema = r.GetString(2), Version = r.GetString(3) }));
            await NextAsync(r, ct, () => _relations.Add(new Relation(
                Oid(r, 0), r.GetString(1), r.GetString(2), r.GetString(3)[0], r.GetString(4) == "u", r.GetBoolean(5), r.GetBoolean(6),
                r.GetBoolean(7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), r.GetFieldValue<string[]>(12))));
            await NextAsync(r, ct, () =>
            {
                var options = new SequenceOptions
                {
                    Type = r.GetString(1),
                    Start = r.GetInt64(2),
                    Increment = r.GetInt64(3),
                    Min = r.GetInt64(4),
                    Max = r.GetInt64(5),
                    Cache = r.GetInt64(6),
                    Cycle = r.GetBoolean(7),
                };
                var owner = r.IsDBNull(8) ? (uint?)null : Oid(r, 8);
                _sequences[Oid(r, 0)] = new SequenceRow(options, owner, r.IsDBNull(9) ? 0 : r.GetInt32(9), Text(r, 10));
            });
            await NextAsync(r, ct, () =>
            {
                var table = Oid(r, 0);
                if (!_columns.TryGetValue(table, out var list))
                {
                    _columns[table] = list = [];
                }

                list.Add(new ColumnRow(r.GetInt16(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), Text(r, 5), r.GetString(6), r.GetString(7), Text(r, 8)));
            });
            await NextAsync(r, ct, () => _constraints.Add(new ConstraintRow(
                Oid(r, 0), Oid(r, 1), Oid(r, 2), r.GetString(3), r.GetString(4)[0], r.GetString(5), r.GetBoolean(6), r.GetBoolean(7), r.GetBoolean(8))));
            await NextAsync(r, ct, () => _indexes.Add(new IndexRow(
                Oid(r, 0), Oid(r, 1), r.GetInt16(6), new IndexDefinition
                {
                    Name = r.GetString(2),
                    Method = r.GetString(3),
                    Unique = r.GetBoolean(4),
                    Invalid = !r.GetBoolean(5),
                    Columns = r.GetFieldValue<string[]>(7),
                    Predicate = Text(r, 8),
                    NullsNotDistinct = r.GetBoolean(9),
                    Options = Text(r, 10),
                    Definition = Text(r, 11),
                })));
            await NextAsync(r, ct, () => _triggers.Add((Oid(r, 0), Oid(r, 1), new TriggerDefinition
            {
                Name = r.GetString(2),
                Definition = r.GetString(3),
                Enabled = r.GetString(4) switch
                {
                    "D" => "disabled",
                    "R" => "replica",
                    "A" => "always",
                    _ => null,
                },
            })));
            await NextAsync(r, ct, () => _policies.Add((Oid(r, 0), Oid(r, 1), new PolicyDefinition
            {
                Name = r.GetString(2),
                Command = r.GetString(3) switch
                {
                    "r" => "SELECT",
                    "a" => "INSERT",
                    "w" => "UPDATE",
                    "d" => "DELETE",
                    _ => "ALL",
                },
                Restrictive = !r.GetBoolean(4),
                Roles = r.GetFieldValue<string[]>(5),
                Using = Text(r, 6),
                WithCheck = Text(r, 7),
            })));
            await NextAsync(r, ct, () => _routines.Add((Oid(r, 0), new RoutineDefinition
            {
                Schema = r.GetString(1),
                Name = r.GetString(2),
                Arguments = r.GetString(3),
                Kind = r.GetString(4) switch
                {
                    "p" => "procedure",
                    "a" => "aggregate",
                    "w" => "window",
                    _ => null,
                },
                Definition = r.GetString(5),
            })));
            await NextAsync(r, ct, () => _types.Add(new TypeRow(
                Oid(r, 0), r.GetString(1), r.GetString(2), r.GetString(3)[0], Oid(r, 4), Text(r, 5), r.GetBoolean(6), Text(r, 7), Text(r, 8),
                r.GetFieldValue<string[]>(9))));
            await NextAsync(r, ct, () =>
            {
                if (!r.IsDBNull(0))
                {
                    _comments[(r.GetString(0), Oid(r, 1), r.GetInt32(2))] = r.GetString(3);
                }
            });
            if (privileges)
            {
                await NextAsync(r, ct, () =>
                {
                    var key = (r.GetString(0), Oid(r, 1));
                    if (!_grants.TryGetValue(key, out var list))
                    {
                        _grants[key] = list = [];
                    }

                    list.Add((Oid(r, 2), r.GetString(3), r.GetBoolean(4)));
                });
                await NextAsync(r, ct, () => _roles[Oid(r, 0)] = r.GetString(1));
            }
        }

        private static async Task NextAsync(NpgsqlDataReader r, CancellationToken ct, Action read)
        {
            if (!await r.NextResultAsync(ct))
            {
                throw new InvalidOperationException("The catalog batch returned fewer result sets than it has queries.");
            }

            while (await r.ReadAsync(ct))
            {
                read();
            }
        }

        private static uint Oid(NpgsqlDataReader r, int ordinal) => r.GetFieldValue<uint>(ordinal);

        private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

        public DatabaseSchema Build(int serverMajor, bool privileges)
        {
            var relations = _relations.ToDictionary(r => r.Oid);
            var tables = new Dictionary<uint, TableBuilder>();
            var views = new Dictionary<uint, ViewBuilder>();
            var sequences = new List<SequenceDefinition>();
            var identities = new Dictionary<(uint Table, int Column), SequenceOptions>();
            foreach (var row in _sequences.Values)
            {
                if (row.DependencyType == "i" && row.Owner is uint owner)
                {
                    identities[(owner, row.OwnerColumn)] = row.Options;
                }
            }

            string ColumnName(uint table, int attnum) =>
                _columns.TryGetValue(table, out var columns) ? columns.FirstOrDefault(c => c.Number == attnum)?.Name ?? "" : "";

            foreach (var relation in _relations)
            {
                switch (relation.Kind)
                {
                    case 'r' or 'p' or 'f':
                        tables[relation.Oid] = new TableBuilder(relation);
                        break;
                    case 'v' or 'm':
                        views[relation.Oid] = new ViewBuilder(relation);
                        break;
                }
            }

            foreach (var (oid, builder) in tables)
            {
                if (!_columns.TryGetValue(oid, out var columns))
                {
                    continue;
                }

                var position = 0;
                foreach (var column in columns)
                {
                    IdentityDefinition? identity = null;
                    if (column.Identity.Length > 0)
                    {
                        identity = new IdentityDefinition
                        {
                            Generation = column.Identity == "a" ? "ALWAYS" : "BY DEFAULT",
                            Sequence = identities.GetValueOrDefault((oid, column.Number)) ?? new SequenceOptions(),
                        };
                    }

                    builder.Columns.Add(new ColumnDefinition
                    {
                        Name = column.Name,
                        Position = ++position,
                        Type = column.Type,
                        NotNull = column.NotNull,
                        Default = column.Generated.Length == 0 ? column.Default : null,
                        Generated = column.Generated.Length == 0 ? null : column.Default + (column.Generated == "s" ? " STORED" : " VIRTUAL"),
                        Identity = identity,
                        Collation = column.Collation,
                        Comment = Comment("class", oid, column.Number),
                    });
                }
            }

            foreach (var (oid, relation) in relations)
            {
                if (relation.Kind != 'S')
                {
                    continue;
                }

                var row = _sequences.GetValueOrDefault(oid);
                if (row is null || row.DependencyType == "i")
                {
                    // An identity column's sequence is an option of the column.
                    continue;
                }

                var ownedBy = row.Owner is uint owner && relations.TryGetValue(owner, out var table)
                    ? SchemaNames.Qualify(table.Schema, table.Name) + "." + SchemaNames.Quote(ColumnName(owner, row.OwnerColumn))
                    : null;
                if (row.Owner is uint excluded && !relations.ContainsKey(excluded))
                {
                    // Owned by a table left out (the history tables): left out with it.
                    continue;
                }

                sequences.Add(new SequenceDefinition
                {
                    Schema = relation.Schema,
                    Name = relation.Name,
                    Options = row.Options,
                    OwnedBy = ownedBy,
                    Comment = Comment("class", oid, 0),
                    Privileges = Grants(privileges, "class", oid),
                });
            }

            var domainConstraints = new Dictionary<uint, List<string>>();
            foreach (var constraint in _constraints)
            {
                if (constraint.Domain != 0)
                {
                    if (!domainConstraints.TryGetValue(constraint.Domain, out var list))
                    {
                        domainConstraints[constraint.Domain] = list = [];
                    }

                    list.Add(SchemaNames.Quote(constraint.Name) + ": " + constraint.Definition);
                    continue;
                }

                if (!tables.TryGetValue(constraint.Table, out var builder))
                {
                    continue;
                }

                builder.Constraints.Add(new ConstraintDefinition
                {
                    Name = constraint.Name,
                    Type = constraint.Type switch
                    {
                        'p' => "primary key",
                        'u' => "unique",
                        'f' => "foreign key",
                        'x' => "exclusion",
                        _ => "check",
                    },
                    Definition = constraint.Definition,
                    Deferrable = constraint.Deferrable,
                    InitiallyDeferred = constraint.Deferred,
                    NotValid = !constraint.Validated,
                    Comment = Comment("constraint", constraint.Oid, 0),
                });
            }

            foreach (var index in _indexes)
            {
                var keys = index.Definition.Columns;
                var definition = index.Definition with
                {
                    Columns = [.. keys.Take(index.KeyCount)],
                    Include = [.. keys.Skip(index.KeyCount)],
                    Comment = Comment("class", index.Oid, 0),
                };
                if (tables.TryGetValue(index.Table, out var table))
                {
                    table.Indexes.Add(definition);
                }
                else if (views.TryGetValue(index.Table, out var view))
                {
                    view.Indexes.Add(definition);
                }
            }

            foreach (var (oid, table, trigger) in _triggers)
            {
                var withComment = trigger with { Comment = Comment("trigger", oid, 0) };
                if (tables.TryGetValue(table, out var builder))
                {
                    builder.Triggers.Add(withComment);
                }
                else if (views.TryGetValue(table, out var view))
                {
                    view.Triggers.Add(withComment);
                }
            }

            foreach (var (oid, table, policy) in _policies)
            {
                if (tables.TryGetValue(table, out var builder))
                {
                    builder.Policies.Add(policy with { Comment = Comment("policy", oid, 0) });
                }
            }

            var types = new List<TypeDefinition>();
            foreach (var type in _types)
            {
                var attributes = new List<ColumnDefinition>();
                if (type.Kind == 'c' && _columns.TryGetValue(type.Relation, out var columns))
                {
                    var position = 0;
                    attributes.AddRange(columns.Select(c => new ColumnDefinition { Name = c.Name, Position = ++position, Type = c.Type, Collation = c.Collation }));
                }

                types.Add(new TypeDefinition
                {
                    Schema = type.Schema,
                    Name = type.Name,
                    Kind = type.Kind switch
                    {
                        'e' => "enum",
                        'd' => "domain",
                        'c' => "composite",
                        _ => "range",
                    },
                    Labels = type.Labels,
                    BaseType = type.BaseType,
                    NotNull = type.NotNull,
                    Default = type.Default,
                    Collation = type.Collation,
                    Constraints = domainConstraints.GetValueOrDefault(type.Oid) ?? [],
                    Attributes = attributes,
                    Comment = Comment("type", type.Oid, 0) ?? (type.Kind == 'c' ? Comment("class", type.Relation, 0) : null),
                    Privileges = Grants(privileges, "type", type.Oid),
                });
            }

            var schema = new DatabaseSchema
            {
                Provider = PostgreSqlProvider.ProviderName,
                ServerMajor = serverMajor,
                IncludesPrivileges = privileges,
                Schemas = [.. _schemas.Select(s => new SchemaDefinition { Name = s.Name, Comment = Comment("namespace", s.Oid, 0), Privileges = Grants(privileges, "namespace", s.Oid) })],
                Extensions = _extensions,
                Types = types,
                Sequences = sequences,
                Tables = [.. tables.Values.Select(t => t.Build(relations, Comment("class", t.Relation.Oid, 0), Grants(privileges, "class", t.Relation.Oid)))],
                Views = [.. views.Values.Select(v => v.Build(Comment("class", v.Relation.Oid, 0), Grants(privileges, "class", v.Relation.Oid)))],
                Routines = [.. _routines.Select(r => r.Routine with { Comment = Comment("proc", r.Oid, 0), Privileges = Grants(privileges, "proc", r.Oid) })],
            };
            return schema.Normalized();
        }

        private string? Comment(string catalog, uint oid, int sub) => _comments.GetValueOrDefault((catalog, oid, sub));

        /// <summary><c>grantee: PRIVILEGE, PRIVILEGE WITH GRANT OPTION</c> per grantee, sorted.</summary>
        private IReadOnlyList<string> Grants(bool privileges, string catalog, uint oid)
        {
            if (!privileges || !_grants.TryGetValue((catalog, oid), out var grants))
            {
                return [];
            }

            return [.. grants
                .GroupBy(g => g.Grantee == 0 ? "PUBLIC" : _roles.GetValueOrDefault(g.Grantee) ?? g.Grantee.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Select(g => g.Key + ": " + string.Join(", ", g.Select(p => p.Privilege + (p.Grantable ? " WITH GRANT OPTION" : "")).Order(StringComparer.Ordinal)))
                .Order(StringComparer.Ordinal)];
        }
    }

    private sealed record Relation(
        uint Oid, string Schema, string Name, char Kind, bool Unlogged, bool RowSecurity, bool ForceRowSecurity, bool IsPartition,
        string? PartitionBound, string? PartitionKey, string? Options, string? ViewDefinition, string[] Parents);

    private sealed record SequenceRow(SequenceOptions Options, uint? Owner, int OwnerColumn, string? DependencyType);

    private sealed record ColumnRow(short Number, string Name, string Type, bool NotNull, string? Default, string Generated, string Identity, string? Collation);

    private sealed record ConstraintRow(uint Oid, uint Table, uint Domain, string Name, char Type, string Definition, bool Deferrable, bool Deferred, bool Validated);

    private sealed record IndexRow(uint Oid, uint Table, short KeyCount, IndexDefinition Definition);

    private sealed record TypeRow(
        uint Oid, string Schema, string Name, char Kind, uint Relation, string? BaseType, bool NotNull, string? Default, string? Collation, string[] Labels);

    private sealed class TableBuilder(Relation relation)
    {
        public Relation Relation { get; } = relation;

        public List<ColumnDefinition> Columns { get; } = [];

        public List<ConstraintDefinition> Constraints { get; } = [];

        public List<IndexDefinition> Indexes { get; } = [];

        public List<TriggerDefinition> Triggers { get; } = [];

        public List<PolicyDefinition> Policies { get; } = [];

        public TableDefinition Build(Dictionary<uint, Relation> relations, string? comment, IReadOnlyList<string> privileges) => new()
        {
            Schema = Relation.Schema,
            Name = Relation.Name,
            Kind = Relation.Kind switch
            {
                'p' => "partitioned table",
                'f' => "foreign table",
                _ => null,
            },
            Unlogged = Relation.Unlogged,
            PartitionKey = Relation.PartitionKey,
            PartitionOf = Relation.IsPartition && Relation.Parents.Length > 0 ? Relation.Parents[0] : null,
            PartitionBound = Relation.PartitionBound,
            Inherits = Relation.IsPartition ? [] : Relation.Parents,
            RowLevelSecurity = Relation.RowSecurity,
            ForceRowLevelSecurity = Relation.ForceRowSecurity,
            Options = Relation.Options,
            Comment = comment,
            Columns = Columns,
            Constraints = Constraints,
            Indexes = Indexes,
            Triggers = Triggers,
            Policies = Policies,
            Privileges = privileges,
        };
    }

    private sealed class ViewBuilder(Relation relation)
    {
        public Relation Relation { get; } = relation;

        public List<IndexDefinition> Indexes { get; } = [];

        public List<TriggerDefinition> Triggers { get; } = [];

        public ViewDefinition Build(string? comment, IReadOnlyList<string> privileges) => new()
        {
            Schema = Relation.Schema,
            Name = Relation.Name,
            Materialized = Relation.Kind == 'm',
            Definition = Relation.ViewDefinition ?? "",
            Options = Relation.Options,
            Comment = comment,
            Indexes = Indexes,
            Triggers = Triggers,
            Privileges = privileges,
        };
    }
}
