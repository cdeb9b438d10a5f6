using System.Globalization;
using ProbeOps.Migrate.Diagnostics;

namespace ProbeOps.Migrate.Graph;

/// <summary>
/// Turns a user's target into a <see cref="Target"/>: <c>head</c>/<c>heads</c>, <c>base</c>, a full id,
/// a unique prefix, <c>+N</c> (N steps up from the applied head) or <c>-N</c> (N steps down).
/// </summary>
public static class TargetResolver
{
    private const int MaxCandidatesShown = 10;

    /// <summary>Throws <see cref="MigrateException"/> (Usage) for an unknown, ambiguous or out-of-range target.</summary>
    public static Target Resolve(RevisionGraph graph, string target, IReadOnlySet<string> applied)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(applied);

        if (string.IsNullOrWhiteSpace(target))
        {
            throw Usage("empty target: give head, heads, base, a revision id, +N or -N");
        }

        switch (target)
        {
            case "base":
                return Target.Base;
            case "heads":
                return Target.Heads;
            case "head":
                return ResolveHead(graph);
        }

        if (graph.Count == 0)
        {
            throw Usage($"there are no revisions, so '{target}' cannot be resolved; only base and head are valid");
        }

        if (target[0] is '+' or '-')
        {
            var steps = ParseSteps(target);
            return target[0] == '+' ? StepUp(graph, target, steps, applied) : StepDown(graph, target, steps, applied);
        }

        return ResolveId(graph, target);
    }

    private static Target ResolveHead(RevisionGraph graph) => graph.Heads.Count switch
    {
        0 => Target.Heads,
        1 => Target.Revision(graph.Heads[0].Id),
        _ => throw Usage(
            $"there are several heads ({JoinIds(graph.Heads.Select(h => h.Id))}): use `heads` for all of them, " +
            "a revision id, or join them with `probeops-migrate merge`"),
    };

    private static Target ResolveId(RevisionGraph graph, string target)
    {
        if (graph.Contains(target))
        {
            return Target.Revision(target);
        }

        var candidates = graph.Ids.Where(id => id.StartsWith(target, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        return candidates.Count switch
        {
            0 => throw Usage($"unknown revision '{target}'"),
            1 => Target.Revision(candidates[0]),
            _ => throw Usage($"'{target}' matches several revisions: {JoinIds(candidates)}; give more of the id"),
        };
    }

    private static int ParseSteps(string target)
    {
        var digits = target.AsSpan(1);
        if (digits.IsEmpty || !IsAllDigits(digits))
        {
            throw Usage($"invalid relative target '{target}': use +N or -N with N a whole number of steps");
        }

        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var steps))
        {
            throw Usage($"relative target '{target}' is out of range");
        }

        return steps > 0 ? steps : throw Usage($"relative target '{target}' must move at least one step");
    }

    // +N: walk children from the applied head; nothing applied means the first step lands on the base.
    private static Target StepUp(RevisionGraph graph, string target, int steps, IReadOnlySet<string> applied)
    {
        var heads = graph.HeadsOf(applied);
        if (heads.Count > 1)
        {
            throw SeveralAppliedHeads(target, heads);
        }

        string current;
        int taken;
        if (heads.Count == 1)
        {
            current = heads[0];
            taken = 0;
        }
        else if (graph.Bases.Count == 1)
        {
            current = graph.Bases[0].Id;
            taken = 1;
        }
        else
        {
            throw Usage($"cannot resolve '{target}': there are several bases ({JoinIds(graph.Bases.Select(b => b.Id))}); give a revision id");
        }

        for (; taken < steps; taken++)
        {
            var children = graph.ChildrenOf(current);
            if (children.Count == 0)
            {
                throw Usage($"'{target}' goes past the head '{current}': only {taken} more revision(s) can be applied");
            }

            if (children.Count > 1)
            {
                throw Usage(
                    $"cannot resolve '{target}': '{current}' is a branch point (children: {JoinIds(children.Select(c => c.Id))}); give a revision id");
            }

            current = children[0].Id;
        }

        return Target.Revision(current);
    }

    // -N: walk parents from the applied head; one step below the base is the base target itself.
    private static Target StepDown(RevisionGraph graph, string target, int steps, IReadOnlySet<string> applied)
    {
        var heads = graph.HeadsOf(applied);
        if (heads.Count == 0)
        {
            throw Usage($"nothing is applied, so '{target}' has nothing to step down from");
        }

        if (heads.Count > 1)
        {
            throw SeveralAppliedHeads(target, heads);
        }

        var current = graph[heads[0]];
        for (var taken = 0; taken < steps; taken++)
        {
            if (current.IsBase)
            {
                if (taken == steps - 1)
                {
                    return Target.Base;
                }

                throw Usage($"'{target}' goes below base: at most {taken + 1} step(s) down are possible");
            }

            if (current.IsMerge)
            {
                throw Usage(
                    $"cannot step '{target}' past merge revision '{current.Id}' (parents: {JoinIds(current.Parents)}); give a revision id");
            }

            current = graph[current.Parents[0]];
        }

        return Target.Revision(current.Id);
    }

    private static MigrateException SeveralAppliedHeads(string target, IReadOnlyList<string> heads) =>
        Usage($"the database has several applied heads ({JoinIds(heads)}), so '{target}' is ambiguous; give a revision id");

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string JoinIds(IEnumerable<string> ids) => ShortList.Join(ids, shown: MaxCandidatesShown);

    private static MigrateException Usage(string message) => new(FailureKind.Usage, message);
}
