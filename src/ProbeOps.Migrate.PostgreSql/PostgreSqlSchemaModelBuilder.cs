using System.Globalization;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Joins the catalog rows by OID into the provider-neutral <see cref="DatabaseSchema"/>: columns,
/// constraints, indexes, triggers and policies onto their tables and views, identity sequences onto
/// their columns, constraints onto their domains, comments and grants onto every object.
/// </summary>
internal sealed class PostgreSqlSchemaModelBuilder(PostgreSqlCatalogRows rows, bool privileges)
{
    private readonly Dictionary<uint, CatalogRelation> _relations = rows.Relations.ToDictionary(r => r.Oid);
    private readonly Dictionary<uint, CatalogTableBuilder> _tables = [];
    private readonly Dictionary<uint, CatalogViewBuilder> _views = [];

    public DatabaseSchema Build(int serverMajor)
    {
        SortRelations();
        AddColumns();
        var sequences = BuildSequences();
        var domainConstraints = AddConstraints();
        AddIndexes();
        AddTriggersAndPolicies();
        var schema = new DatabaseSchema
        {
            Provider = PostgreSqlProvider.ProviderName,
            ServerMajor = serverMajor,
            IncludesPrivileges = privileges,
            Schemas = [.. rows.Schemas.Select(s => new SchemaDefinition { Name = s.Name, Comment = Comment("namespace", s.Oid, 0), Privileges = Grants("namespace", s.Oid) })],
            Extensions = rows.Extensions,
            Types = BuildTypes(domainConstraints),
            Sequences = sequences,
            Tables = [.. _tables.Values.Select(t => t.Build(Comment("class", t.Relation.Oid, 0), Grants("class", t.Relation.Oid)))],
            Views = [.. _views.Values.Select(v => v.Build(Comment("class", v.Relation.Oid, 0), Grants("class", v.Relation.Oid)))],
            Routines = [.. rows.Routines.Select(r => r.Routine with { Comment = Comment("proc", r.Oid, 0), Privileges = Grants("proc", r.Oid) })],
        };
        return schema.Normalized();
    }

    private void SortRelations()
    {
        foreach (var relation in rows.Relations)
        {
            switch (relation.Kind)
            {
                case 'r' or 'p' or 'f':
                    _tables[relation.Oid] = new CatalogTableBuilder(relation);
                    break;
                case 'v' or 'm':
                    _views[relation.Oid] = new CatalogViewBuilder(relation);
                    break;
            }
        }
    }

    private void AddColumns()
    {
        var identities = new Dictionary<(uint Table, int Column), SequenceOptions>();
        foreach (var row in rows.Sequences.Values)
        {
            if (row.DependencyType == "i" && row.Owner is uint owner)
            {
                identities[(owner, row.OwnerColumn)] = row.Options;
            }
        }

        foreach (var (oid, builder) in _tables)
        {
            if (!rows.Columns.TryGetValue(oid, out var columns))
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
                    Storage = column.Storage,
                    Statistics = column.Statistics,
                    Options = column.Options,
                    Comment = Comment("class", oid, column.Number),
                });
            }
        }
    }

    /// <summary>Free-standing sequences; an identity column's sequence is an option of the column instead.</summary>
    private List<SequenceDefinition> BuildSequences()
    {
        var sequences = new List<SequenceDefinition>();
        foreach (var (oid, relation) in _relations)
        {
            if (relation.Kind != 'S')
            {
                continue;
            }

            var row = rows.Sequences.GetValueOrDefault(oid);
            if (row is null || row.DependencyType == "i")
            {
                continue;
            }

            var ownedBy = row.Owner is uint owner && _relations.TryGetValue(owner, out var table)
                ? SchemaNames.Qualify(table.Schema, table.Name) + "." + SchemaNames.Quote(ColumnName(owner, row.OwnerColumn))
                : null;
            if (row.Owner is uint excluded && !_relations.ContainsKey(excluded))
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
                Privileges = Grants("class", oid),
            });
        }

        return sequences;
    }

    private string ColumnName(uint table, int attnum) =>
        rows.Columns.TryGetValue(table, out var columns) ? columns.FirstOrDefault(c => c.Number == attnum)?.Name ?? "" : "";

    /// <summary>Adds table constraints to their tables; returns domain constraints by domain, as <c>"name": definition</c>.</summary>
    private Dictionary<uint, List<string>> AddConstraints()
    {
        var domainConstraints = new Dictionary<uint, List<string>>();
        foreach (var constraint in rows.Constraints)
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

            if (_tables.TryGetValue(constraint.Table, out var builder))
            {
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
        }

        return domainConstraints;
    }

    private void AddIndexes()
    {
        foreach (var index in rows.Indexes)
        {
            var keys = index.Definition.Columns;
            var definition = index.Definition with
            {
                Columns = [.. keys.Take(index.KeyCount)],
                Include = [.. keys.Skip(index.KeyCount)],
                Comment = Comment("class", index.Oid, 0),
            };
            if (_tables.TryGetValue(index.Table, out var table))
            {
                table.Indexes.Add(definition);
            }
            else if (_views.TryGetValue(index.Table, out var view))
            {
                view.Indexes.Add(definition);
            }
        }
    }

    private void AddTriggersAndPolicies()
    {
        foreach (var (oid, table, trigger) in rows.Triggers)
        {
            var withComment = trigger with { Comment = Comment("trigger", oid, 0) };
            if (_tables.TryGetValue(table, out var builder))
            {
                builder.Triggers.Add(withComment);
            }
            else if (_views.TryGetValue(table, out var view))
            {
                view.Triggers.Add(withComment);
            }
        }

        foreach (var (oid, table, policy) in rows.Policies)
        {
            if (_tables.TryGetValue(table, out var builder))
            {
                builder.Policies.Add(policy with { Comment = Comment("policy", oid, 0) });
            }
        }
    }

    private List<TypeDefinition> BuildTypes(Dictionary<uint, List<string>> domainConstraints)
    {
        var types = new List<TypeDefinition>();
        foreach (var type in rows.Types)
        {
            var attributes = new List<ColumnDefinition>();
            if (type.Kind == 'c' && rows.Columns.TryGetValue(type.Relation, out var columns))
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
                Privileges = Grants("type", type.Oid),
            });
        }

        return types;
    }

    private string? Comment(string catalog, uint oid, int sub) => rows.Comments.GetValueOrDefault((catalog, oid, sub));

    /// <summary><c>grantee: PRIVILEGE, PRIVILEGE WITH GRANT OPTION</c> per grantee, sorted.</summary>
    private IReadOnlyList<string> Grants(string catalog, uint oid)
    {
        if (!privileges || !rows.Grants.TryGetValue((catalog, oid), out var grants))
        {
            return [];
        }

        return [.. grants
            .GroupBy(g => g.Grantee == 0 ? "PUBLIC" : rows.Roles.GetValueOrDefault(g.Grantee) ?? g.Grantee.ToString(CultureInfo.InvariantCulture))
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(p => p.Privilege + (p.Grantable ? " WITH GRANT OPTION" : "")).Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)];
    }
}
