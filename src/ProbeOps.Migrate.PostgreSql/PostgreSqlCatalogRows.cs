using Npgsql;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The rows of every catalog query of <see cref="PostgreSqlSchemaQueries"/>, keyed by OID, read from
/// one batch's result sets in the order <see cref="PostgreSqlSchemaReader"/> sends the queries.
/// </summary>
internal sealed class PostgreSqlCatalogRows
{
    public List<(uint Oid, string Name)> Schemas { get; } = [];

    public List<ExtensionDefinition> Extensions { get; } = [];

    public List<CatalogRelation> Relations { get; } = [];

    public Dictionary<uint, CatalogSequence> Sequences { get; } = [];

    public Dictionary<uint, List<CatalogColumn>> Columns { get; } = [];

    public List<CatalogConstraint> Constraints { get; } = [];

    public List<CatalogIndex> Indexes { get; } = [];

    public List<(uint Oid, uint Table, TriggerDefinition Trigger)> Triggers { get; } = [];

    public List<(uint Oid, uint Table, PolicyDefinition Policy)> Policies { get; } = [];

    public List<(uint Oid, RoutineDefinition Routine)> Routines { get; } = [];

    public List<CatalogType> Types { get; } = [];

    public Dictionary<(string Catalog, uint Oid, int Sub), string> Comments { get; } = [];

    public Dictionary<(string Catalog, uint Oid), List<(uint Grantee, string Privilege, bool Grantable)>> Grants { get; } = [];

    public Dictionary<uint, string> Roles { get; } = [];

    public async Task ReadAsync(NpgsqlDataReader r, bool privileges, CancellationToken ct)
    {
        await NextAsync(r, ct, () => Schemas.Add((Oid(r, 0), r.GetString(1))));
        await NextAsync(r, ct, () => Extensions.Add(new ExtensionDefinition { Name = r.GetString(1), Schema = r.GetString(2), Version = r.GetString(3) }));
        await NextAsync(r, ct, () => Relations.Add(new CatalogRelation(
            Oid(r, 0), r.GetString(1), r.GetString(2), r.GetString(3)[0], r.GetString(4) == "u", r.GetBoolean(5), r.GetBoolean(6),
            r.GetBoolean(7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11), r.GetFieldValue<string[]>(12), Text(r, 13), Text(r, 14))));
        await NextAsync(r, ct, () => Sequences[Oid(r, 0)] = ReadSequence(r));
        await NextAsync(r, ct, () => ListFor(Columns, Oid(r, 0)).Add(new CatalogColumn(
            r.GetInt16(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), Text(r, 5), r.GetString(6), r.GetString(7), Text(r, 8), Text(r, 9), Text(r, 10), Text(r, 11))));
        await NextAsync(r, ct, () => Constraints.Add(new CatalogConstraint(
            Oid(r, 0), Oid(r, 1), Oid(r, 2), r.GetString(3), r.GetString(4)[0], r.GetString(5), r.GetBoolean(6), r.GetBoolean(7), r.GetBoolean(8))));
        await NextAsync(r, ct, () => Indexes.Add(ReadIndex(r)));
        await NextAsync(r, ct, () => Triggers.Add((Oid(r, 0), Oid(r, 1), ReadTrigger(r))));
        await NextAsync(r, ct, () => Policies.Add((Oid(r, 0), Oid(r, 1), ReadPolicy(r))));
        await NextAsync(r, ct, () => Routines.Add((Oid(r, 0), ReadRoutine(r))));
        await NextAsync(r, ct, () => Types.Add(new CatalogType(
            Oid(r, 0), r.GetString(1), r.GetString(2), r.GetString(3)[0], Oid(r, 4), Text(r, 5), r.GetBoolean(6), Text(r, 7), Text(r, 8),
            r.GetFieldValue<string[]>(9))));
        await NextAsync(r, ct, () =>
        {
            if (!r.IsDBNull(0))
            {
                Comments[(r.GetString(0), Oid(r, 1), r.GetInt32(2))] = r.GetString(3);
            }
        });
        if (privileges)
        {
            await NextAsync(r, ct, () => ListFor(Grants, (r.GetString(0), Oid(r, 1))).Add((Oid(r, 2), r.GetString(3), r.GetBoolean(4))));
            await NextAsync(r, ct, () => Roles[Oid(r, 0)] = r.GetString(1));
        }
    }

    private static CatalogSequence ReadSequence(NpgsqlDataReader r)
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
        return new CatalogSequence(options, owner, r.IsDBNull(9) ? 0 : r.GetInt32(9), Text(r, 10));
    }

    private static CatalogIndex ReadIndex(NpgsqlDataReader r) => new(
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
        });

    private static TriggerDefinition ReadTrigger(NpgsqlDataReader r) => new()
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
    };

    private static PolicyDefinition ReadPolicy(NpgsqlDataReader r) => new()
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
    };

    private static RoutineDefinition ReadRoutine(NpgsqlDataReader r) => new()
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
    };

    private static List<TValue> ListFor<TKey, TValue>(Dictionary<TKey, List<TValue>> lists, TKey key)
        where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        return list;
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
}
