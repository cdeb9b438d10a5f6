using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProbeOps.Migrate;

/// <summary><c>services.AddHealthChecks().AddProbeOpsMigrate()</c>: the <see cref="MigrationHealthCheck"/> of the registered <see cref="Migrator"/>.</summary>
public static class ProbeOpsMigrateHealthChecks
{
    public const string DefaultName = "probeops-migrate";

    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name in reports.</param>
    /// <param name="checkDrift">Compare the live schema with the one recorded after the tool's last change.</param>
    /// <param name="failureStatus">What a failing check reports (default Unhealthy).</param>
    /// <param name="tags">Tags to filter checks by (a readiness endpoint).</param>
    public static IHealthChecksBuilder AddProbeOpsMigrate(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        bool checkDrift = true,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new MigrationHealthCheck(sp.GetRequiredService<Migrator>(), checkDrift),
            failureStatus,
            tags));
    }
}
