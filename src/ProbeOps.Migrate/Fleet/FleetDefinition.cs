namespace ProbeOps.Migrate.Fleet;

/// <summary>What a fleet does when a target fails (SPEC §12).</summary>
public enum FleetErrorPolicy
{
    /// <summary>Targets already running finish; no more start.</summary>
    Stop,

    /// <summary>Every target runs.</summary>
    Continue,
}

/// <summary>
/// One database, or one tenant schema in a database, that a fleet command runs on.
/// <see cref="Database"/> is the setting with <c>${NAME}</c> already read from the environment: it may hold a
/// password, so it is never shown; <see cref="ToString"/> gives the name alone.
/// </summary>
/// <param name="Name">The target's name, unique in the fleet; also the folder of its backups.</param>
/// <param name="Database">The database setting (secret).</param>
/// <param name="Schema">A tenant schema to run in; null: the whole database.</param>
/// <param name="Wave">The wave it runs in.</param>
/// <param name="Order">Its place in the targets file (discovered targets in the order of the query's rows).</param>
public sealed record FleetTarget(string Name, string Database, string? Schema, string Wave, int Order)
{
    /// <summary>The database as it may be shown (password masked); set once the fleet's targets are resolved.</summary>
    public string Display { get; init; } = "";

    public override string ToString() => Name;
}

/// <summary>
/// A <c>discover</c> entry: targets listed by a query on <see cref="Database"/>, one per row; <c>{name}</c> in
/// <see cref="Template"/>, <see cref="Schema"/> and <see cref="NameTemplate"/> is the row's value.
/// </summary>
/// <param name="Where">Where the entry is in the targets file, for errors.</param>
public sealed record TargetDiscovery(string Database, string Query, string? Template, string? Schema, string NameTemplate, string? Wave, string Where);

/// <summary>A targets file (SPEC §12) as read: settings, then static targets and discovery entries in file order.</summary>
/// <param name="Entries">Each a <see cref="FleetTarget"/> or a <see cref="TargetDiscovery"/>.</param>
public sealed record FleetDefinition(
    string File,
    int Parallel,
    IReadOnlyList<string> Waves,
    FleetErrorPolicy OnError,
    IReadOnlyList<object> Entries)
{
    /// <summary>The wave of a target without one: the last listed, or the only one when none are.</summary>
    public string LastWave => Waves.Count == 0 ? DefaultWave : Waves[^1];

    /// <summary>The name of the one wave of a file that lists none.</summary>
    public const string DefaultWave = "all";

    /// <summary>The waves in the order they run.</summary>
    public IReadOnlyList<string> WaveOrder => Waves.Count == 0 ? [DefaultWave] : Waves;
}
