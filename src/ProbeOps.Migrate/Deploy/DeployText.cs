namespace ProbeOps.Migrate.Deploy;

/// <summary>Short texts shared by the stages' report lines.</summary>
internal static class DeployText
{
    /// <summary>A list of revisions for one line: up to three, else the first two and the last.</summary>
    public static string Summarise(IEnumerable<string> ids)
    {
        var list = ids.ToList();
        return list.Count switch
        {
            0 => "base",
            <= 3 => string.Join(", ", list),
            _ => $"{string.Join(", ", list.Take(2))} … {list[^1]}",
        };
    }
}
