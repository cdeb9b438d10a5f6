namespace ProbeOps.Migrate.Graph;

/// <summary>Finds the cycle reached by following one link per revision.</summary>
internal static class CycleFinder
{
    /// <summary>
    /// Follows <paramref name="next"/> from <paramref name="start"/> until a revision repeats, and returns
    /// that cycle closed on itself and rotated to begin at its smallest id (for example <c>a -> b -> a</c>),
    /// or null when the walk ends (next returns null) before any revision repeats.
    /// </summary>
    public static IReadOnlyList<string>? Find(string start, Func<string, string?> next)
    {
        var path = new List<string>();
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        string? current = start;
        while (current is not null && position.TryAdd(current, path.Count))
        {
            path.Add(current);
            current = next(current);
        }

        if (current is null)
        {
            return null;
        }

        var cycle = path.GetRange(position[current], path.Count - position[current]);
        var smallest = 0;
        for (var i = 1; i < cycle.Count; i++)
        {
            if (string.CompareOrdinal(cycle[i], cycle[smallest]) < 0)
            {
                smallest = i;
            }
        }

        var rotated = new List<string>(cycle.Count + 1);
        for (var i = 0; i < cycle.Count; i++)
        {
            rotated.Add(cycle[(smallest + i) % cycle.Count]);
        }

        rotated.Add(rotated[0]);
        return rotated;
    }
}
