using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ProbeOps.Migrate;

/// <summary>What <c>AddProbeOpsMigrate</c> returns: chooses what happens at start-up.</summary>
public sealed class ProbeOpsMigrateBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Applies pending migrations before the app serves traffic (<see cref="StartupPolicy.Apply"/>).</summary>
    public ProbeOpsMigrateBuilder MigrateOnStartup() => OnStartup(StartupPolicy.Apply);

    /// <summary>Changes nothing, and stops the app from starting unless the database is up to date and shows no drift (<see cref="StartupPolicy.Verify"/>).</summary>
    public ProbeOpsMigrateBuilder VerifyOnStartup() => OnStartup(StartupPolicy.Verify);

    public ProbeOpsMigrateBuilder OnStartup(StartupPolicy policy)
    {
        Services.RemoveAll<MigrationStartupService>();
        Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<MigrationStartupService>(sp, policy));
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MigrationStartupService>(sp => sp.GetRequiredService<MigrationStartupService>()));
        return this;
    }
}
