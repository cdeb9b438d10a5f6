namespace ProbeOps.Migrate;

/// <summary>Where the tool keeps what it can always compute again: the user's cache directory.</summary>
public static class UserCache
{
    /// <summary>Overrides the cache directory.</summary>
    public const string DirectoryVariable = "PROBEOPS_MIGRATE_CACHE_DIR";

    /// <summary>
    /// The platform's per-user cache directory (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> on Linux,
    /// <c>~/Library/Caches</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows) with <c>probeops-migrate</c> under it.
    /// </summary>
    public static string Root(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string root;
        if (OperatingSystem.IsWindows())
        {
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        else if (OperatingSystem.IsMacOS())
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Caches");
        }
        else
        {
            root = NonEmpty(environment("XDG_CACHE_HOME")) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }

        return Path.Combine(root, "probeops-migrate");
    }

    /// <summary><c>$PROBEOPS_MIGRATE_CACHE_DIR</c>, when set (made absolute).</summary>
    public static string? Explicit(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return NonEmpty(environment(DirectoryVariable)) is { } directory ? Path.GetFullPath(directory) : null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
