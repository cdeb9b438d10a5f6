using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ProbeOps.Migrate;

/// <summary><c>services.AddProbeOpsMigrate(...)</c>: the <see cref="Migrator"/> as a singleton, logging through the host's loggers.</summary>
public static class ProbeOpsMigrateServices
{
    /// <example>
    /// <code>
    /// builder.Services.AddProbeOpsMigrate(o => o.UsePostgreSql(connectionString).FromEmbeddedResources(typeof(Program).Assembly))
    ///     .MigrateOnStartup();
    /// builder.Services.AddHealthChecks().AddProbeOpsMigrate();
    /// </code>
    /// </example>
    public static ProbeOpsMigrateBuilder AddProbeOpsMigrate(this IServiceCollection services, Action<MigratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddProbeOpsMigrate((_, options) => configure(options));
    }

    /// <summary>As the other overload, with the services at hand (to read a connection string from configuration).</summary>
    public static ProbeOpsMigrateBuilder AddProbeOpsMigrate(this IServiceCollection services, Action<IServiceProvider, MigratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.RemoveAll<Migrator>();
        services.AddSingleton(sp =>
        {
            var options = new MigratorOptions();
            if (sp.GetService<ILoggerFactory>() is { } loggers)
            {
                options.UseLoggerFactory(loggers);
            }

            configure(sp, options);
            return new Migrator(options);
        });
        return new ProbeOpsMigrateBuilder(services);
    }
}
