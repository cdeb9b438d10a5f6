namespace ProbeOps.Migrate.Configuration;

/// <summary>Settings given on the command line; null means "not given".</summary>
public sealed record SettingsOverrides
{
    public string? ConfigFile { get; init; }

    /// <summary>The environment of the config file to use (<c>--env</c>).</summary>
    public string? Environment { get; init; }

    public string? Database { get; init; }
    public string? MigrationsDirectory { get; init; }
    public string? BackupDirectory { get; init; }
    public string? LogDirectory { get; init; }
    public string? HistoryTable { get; init; }
    public string? HistorySchema { get; init; }
    public string? WaitForLock { get; init; }
    public string? LockTimeout { get; init; }
    public string? StatementTimeout { get; init; }
    public string? PgBinDirectory { get; init; }

    /// <summary><c>--placeholder name=value</c>, as given (repeatable).</summary>
    public IReadOnlyList<string> Placeholders { get; init; } = [];
}
