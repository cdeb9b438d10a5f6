using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// Turns a targets file's entries into the fleet's targets: static ones as they are, each discovery entry
/// into one target per row of its query, in the file's order. A failed query stops the command before any
/// target starts; names must be unique across the fleet.
/// </summary>
public static class TargetDiscoverer
{
    public static async Task<IReadOnlyList<FleetTarget>> ExpandAsync(
        FleetDefinition fleet, ProviderRegistry providers, SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(providers);
        var targets = new List<FleetTarget>();
        foreach (var entry in fleet.Entries)
        {
            if (entry is TargetDiscovery discovery)
            {
                var wave = discovery.Wave ?? fleet.LastWave;
                foreach (var name in await QueryAsync(discovery, fleet.File, providers, options, cancellationToken))
                {
                    targets.Add(Discovered(discovery, name, wave, fleet.File));
                }
            }
            else
            {
                targets.Add((FleetTarget)entry);
            }
        }

        var duplicate = targets.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw TargetsFile.Invalid(fleet.File, $"two targets are named \"{duplicate.Key}\": every target needs a name of its own");
        }

        if (targets.Count == 0)
        {
            throw TargetsFile.Invalid(fleet.File, "it lists no target (every discovery query returned no row)");
        }

        // Every setting is read now: a malformed one stops the fleet before any target starts.
        return [.. targets.Select((t, i) => t with { Order = i, Display = DisplayOf(t, providers, fleet.File) })];
    }

    private static string DisplayOf(FleetTarget target, ProviderRegistry providers, string file)
    {
        try
        {
            return providers.Resolve(target.Database).Target.Display;
        }
        catch (MigrateException ex)
        {
            // The provider's message names the part that is wrong, never a value.
            throw new MigrateException(ex.Kind, $"The database of target \"{target.Name}\" in {file}: {ex.Message}");
        }
    }

    private static FleetTarget Discovered(TargetDiscovery discovery, string value, string wave, string file)
    {
        var name = discovery.NameTemplate.Replace("{name}", value, StringComparison.Ordinal);
        FleetNames.Check(name, () => TargetsFile.Invalid(file, $"{discovery.Where} found \"{name}\", which is not a usable target name: {FleetNames.Rule}"));
        return new FleetTarget(
            name,
            discovery.Template?.Replace("{name}", value, StringComparison.Ordinal) ?? discovery.Database,
            discovery.Schema?.Replace("{name}", value, StringComparison.Ordinal),
            wave,
            0);
    }

    private static async Task<IReadOnlyList<string>> QueryAsync(
        TargetDiscovery discovery, string file, ProviderRegistry providers, SessionOptions options, CancellationToken cancellationToken)
    {
        var (provider, target) = providers.Resolve(discovery.Database);
        await using var session = await provider.OpenSessionAsync(target, options, cancellationToken);
        try
        {
            return [.. (await session.Executor.QueryFirstColumnAsync(discovery.Query, cancellationToken)).Where(v => v.Length > 0)];
        }
        catch (StatementFailedException ex)
        {
            throw new MigrateException(FailureKind.Usage, $"The query of {discovery.Where} in {file} failed on {target.Display}: {ex.Message.Split('\n')[0].Trim()}");
        }
    }
}
