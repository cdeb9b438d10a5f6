namespace ProbeOps.Migrate.Schema;

/// <summary>What to leave out of a comparison.</summary>
/// <param name="Exclude">
/// Glob patterns (<c>*</c> any run of characters, <c>?</c> one) matched against the names a report
/// shows (<c>public.audit_*</c>, <c>public.users.legacy_*</c>): objects the migrations do not own.
/// An excluded object's children are excluded with it.
/// </param>
public sealed record ComparisonOptions(IReadOnlyList<string> Exclude)
{
    /// <summary>Compare only this schema and the objects in it (a tenant schema of a fleet); extensions, which belong to the database, always.</summary>
    public string? Schema { get; init; }

    /// <summary>Whether a top-level object of <paramref name="kind"/> named <paramref name="name"/> is within <see cref="Schema"/>.</summary>
    public bool InScope(SchemaObjectKind kind, string name) =>
        Schema is null || kind == SchemaObjectKind.Extension || (kind == SchemaObjectKind.Schema
            ? name == Schema
            : name.StartsWith(Schema + ".", StringComparison.Ordinal));

    public static ComparisonOptions Default { get; } = new([]);
}

/// <summary>The result of comparing an expected schema with a live one.</summary>
/// <param name="Differences">Grouped by the top-level object they belong to, groups sorted by name.</param>
/// <param name="Notes">Information that is not drift: a different column order.</param>
/// <param name="ExcludedCount">How many objects the exclusions left out.</param>
public sealed record SchemaComparison(IReadOnlyList<SchemaDifference> Differences, IReadOnlyList<string> Notes, int ExcludedCount)
{
    public bool HasDrift => Differences.Count > 0;
}

/// <summary>
/// Compares two schema models object by object. Objects are matched by kind and name; matched
/// objects are compared facet by facet, then child by child. A facet marked as fallback (a whole
/// definition) is compared only when nothing else of its object differs, so one change is reported
/// once. Column order is information, never drift.
/// </summary>
public static class SchemaComparer
{
    public static SchemaComparison Compare(DatabaseSchema expected, DatabaseSchema actual, ComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        options ??= ComparisonOptions.Default;
        var context = new Context(
            new GlobSet(options.Exclude),
            expected.IncludesPrivileges && actual.IncludesPrivileges);

        var expectedObjects = Index(expected.Objects(), o => o.Name);
        var actualObjects = Index(actual.Objects(), o => o.Name);
        var keys = new SortedSet<(string Name, SchemaObjectKind Kind)>(Comparer<(string Name, SchemaObjectKind Kind)>.Create((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : a.Kind.CompareTo(b.Kind);
        }));
        foreach (var key in expectedObjects.Keys.Concat(actualObjects.Keys))
        {
            keys.Add((key.Name, key.Kind));
        }

        foreach (var (name, kind) in keys.Where(k => options.InScope(k.Kind, k.Name)))
        {
            if (context.Exclude.Matches(name))
            {
                context.Excluded++;
                continue;
            }

            expectedObjects.TryGetValue((kind, name), out var e);
            actualObjects.TryGetValue((kind, name), out var a);
            CompareObject(context, e, a, kind, name, kind, name);
            if (e is TableDefinition expectedTable && a is TableDefinition actualTable)
            {
                NoteColumnOrder(context, name, expectedTable, actualTable);
            }
        }

        return new SchemaComparison(context.Differences, context.Notes, context.Excluded);
    }

    private static Dictionary<(SchemaObjectKind Kind, string Name), ISchemaObject> Index(IEnumerable<ISchemaObject> objects, Func<ISchemaObject, string> name)
    {
        var index = new Dictionary<(SchemaObjectKind, string), ISchemaObject>();
        foreach (var item in objects)
        {
            // A reader never yields two objects of one kind and name; if one did, the first wins rather than failing the check.
            index.TryAdd((item.Kind, name(item)), item);
        }

        return index;
    }

    /// <summary>Compares one object; returns whether anything of it differed.</summary>
    private static bool CompareObject(
        Context context, ISchemaObject? expected, ISchemaObject? actual, SchemaObjectKind kind, string name, SchemaObjectKind ownerKind, string owner)
    {
        if (expected is null && actual is null)
        {
            return false;
        }

        if (expected is null)
        {
            context.Differences.Add(new SchemaDifference(SchemaChange.Added, kind, name, ownerKind, owner));
            return true;
        }

        if (actual is null)
        {
            context.Differences.Add(new SchemaDifference(SchemaChange.Missing, kind, name, ownerKind, owner));
            return true;
        }

        var differed = false;

        // Objects of one kind yield the same facets in the same order: walk both side by side.
        using var actualFacets = actual.Facets().GetEnumerator();
        List<(SchemaFacet Expected, SchemaFacet Actual)>? fallbacks = null;
        foreach (var facet in expected.Facets())
        {
            var other = actualFacets.MoveNext() && actualFacets.Current.Name == facet.Name
                ? actualFacets.Current
                : actual.Facets().FirstOrDefault(f => f.Name == facet.Name);
            if (!context.ComparePrivileges && facet.Name == "privileges")
            {
                continue;
            }

            if (facet.Fallback)
            {
                (fallbacks ??= []).Add((facet, other));
                continue;
            }

            if (!string.Equals(facet.Value, other.Value, StringComparison.Ordinal))
            {
                context.Differences.Add(new SchemaDifference(SchemaChange.Changed, kind, name, ownerKind, owner, facet.Name, facet.Value, other.Value));
                differed = true;
            }
        }

        differed |= CompareChildren(context, expected, actual, ownerKind, owner);
        if (!differed && fallbacks is not null)
        {
            foreach (var (e, a) in fallbacks)
            {
                if (!string.Equals(e.Value, a.Value, StringComparison.Ordinal))
                {
                    context.Differences.Add(new SchemaDifference(SchemaChange.Changed, kind, name, ownerKind, owner, e.Name, e.Value, a.Value));
                    differed = true;
                }
            }
        }

        return differed;
    }

    private static bool CompareChildren(Context context, ISchemaObject expected, ISchemaObject actual, SchemaObjectKind ownerKind, string owner)
    {
        var expectedChildren = Index(expected.Children(), c => c.Name);
        var actualChildren = Index(actual.Children(), c => c.Name);
        if (expectedChildren.Count == 0 && actualChildren.Count == 0)
        {
            return false;
        }

        var differed = false;

        // Children in a fixed order: by kind (columns, constraints, indexes...), then by name.
        var keys = expectedChildren.Keys.Union(actualChildren.Keys)
            .OrderBy(k => k.Kind)
            .ThenBy(k => k.Name, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            expectedChildren.TryGetValue(key, out var e);
            actualChildren.TryGetValue(key, out var a);
            var name = (e is null ? actual : expected).ChildName(e ?? a!);
            if (context.Exclude.Matches(name))
            {
                context.Excluded++;
                continue;
            }

            differed |= CompareObject(context, e, a, key.Kind, name, ownerKind, owner);
        }

        return differed;
    }

    private static void NoteColumnOrder(Context context, string name, TableDefinition expected, TableDefinition actual)
    {
        var actualNames = actual.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var expectedNames = expected.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var expectedOrder = expected.ColumnOrder().Where(actualNames.Contains).ToList();
        var actualOrder = actual.ColumnOrder().Where(expectedNames.Contains).ToList();
        if (!expectedOrder.SequenceEqual(actualOrder, StringComparer.Ordinal))
        {
            context.Notes.Add(
                $"column order of table {name} differs (not drift): expected ({string.Join(", ", expectedOrder.Select(SchemaNames.Quote))}), actual ({string.Join(", ", actualOrder.Select(SchemaNames.Quote))})");
        }
    }

    private sealed class Context(GlobSet exclude, bool comparePrivileges)
    {
        public GlobSet Exclude { get; } = exclude;

        public bool ComparePrivileges { get; } = comparePrivileges;

        public List<SchemaDifference> Differences { get; } = [];

        public List<string> Notes { get; } = [];

        public int Excluded { get; set; }
    }
}
