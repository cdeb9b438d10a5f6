using System.Reflection;

namespace ProbeOps.Migrate;

/// <summary>The library's name and version as recorded in history, audit rows and reports.</summary>
public static class ToolInfo
{
    public const string Name = "probeops-migrate";

    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>A short, unique id for one run: sortable by time, with a random tail.</summary>
    public static string NewDeployId(TimeProvider time) =>
        FormattableString.Invariant($"{time.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}");
}
