namespace ProbeOps.Migrate.Schema;

/// <summary>
/// A database's schema as the migrations manage it: what <c>drift</c> compares, what <c>snapshot</c>
/// writes. Every list is sorted by name (ordinal), so two models of the same schema are equal
/// element by element and serialise to the same text. Owners, tablespaces, storage parameters of
/// no consequence, statistics and data are not part of it.
/// </summary>
public sealed record DatabaseSchema
{
    /// <summary>The provider that read it: <c>postgresql</c> or <c>sqlite</c>.</summary>
    public string Provider { get; init; } = "";

    /// <summary>The server's major version (PostgreSQL, e.g. 15) or library version number (SQLite): deparsed text depends on it.</summary>
    public int ServerMajor { get; init; }

    /// <summary>Whether privileges were read (<c>--include-privileges</c>); without them every privilege list is empty.</summary>
    public bool IncludesPrivileges { get; init; }

    public IReadOnlyList<SchemaDefinition> Schemas { get; init; } = [];

    public IReadOnlyList<ExtensionDefinition> Extensions { get; init; } = [];

    public IReadOnlyList<TypeDefinition> Types { get; init; } = [];

    public IReadOnlyList<SequenceDefinition> Sequences { get; init; } = [];

    public IReadOnlyList<TableDefinition> Tables { get; init; } = [];

    public IReadOnlyList<ViewDefinition> Views { get; init; } = [];

    public IReadOnlyList<RoutineDefinition> Routines { get; init; } = [];

    /// <summary>Every top-level object, in a stable order: schemas, extensions, types, sequences, tables, views, routines.</summary>
    public IEnumerable<ISchemaObject> Objects()
    {
        foreach (var item in Schemas)
        {
            yield return item;
        }

        foreach (var item in Extensions)
        {
            yield return item;
        }

        foreach (var item in Types)
        {
            yield return item;
        }

        foreach (var item in Sequences)
        {
            yield return item;
        }

        foreach (var item in Tables)
        {
            yield return item;
        }

        foreach (var item in Views)
        {
            yield return item;
        }

        foreach (var item in Routines)
        {
            yield return item;
        }
    }

    /// <summary>The same model with every list sorted by name, as readers must return it.</summary>
    /// <remarks>A list missing from a snapshot file (left out because empty) reads as null; it becomes empty here.</remarks>
    public DatabaseSchema Normalized() => this with
    {
        Schemas = Sort(OrEmpty(Schemas).Select(s => s with { Privileges = SortStrings(s.Privileges) }), s => s.Name),
        Extensions = Sort(Extensions, e => e.Name),
        Types = Sort(OrEmpty(Types).Select(t => t.Normalized()), t => t.Schema + "\0" + t.Name),
        Sequences = Sort(OrEmpty(Sequences).Select(s => s with { Privileges = SortStrings(s.Privileges) }), s => s.Schema + "\0" + s.Name),
        Tables = Sort(OrEmpty(Tables).Select(t => t.Normalized()), t => t.Schema + "\0" + t.Name),
        Views = Sort(OrEmpty(Views).Select(v => v.Normalized()), v => v.Schema + "\0" + v.Name),
        Routines = Sort(OrEmpty(Routines).Select(r => r with { Privileges = SortStrings(r.Privileges) }), r => r.Schema + "\0" + r.Name + "\0" + r.Arguments),
    };

    internal static IReadOnlyList<T> OrEmpty<T>(IReadOnlyList<T>? items) => items ?? [];

    internal static IReadOnlyList<T> Sort<T>(IEnumerable<T>? items, Func<T, string> key)
    {
        var list = items?.ToList() ?? [];
        list.Sort((a, b) => string.CompareOrdinal(key(a), key(b)));
        return list;
    }

    internal static IReadOnlyList<string> SortStrings(IEnumerable<string>? items)
    {
        var list = items?.ToList() ?? [];
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
