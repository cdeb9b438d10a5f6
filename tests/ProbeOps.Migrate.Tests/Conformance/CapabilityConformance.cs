using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Conformance;

/// <summary>A provider declares its optional capabilities once; its sessions carry exactly the roles it declares.</summary>
public sealed class CapabilityConformance
{
    [Theory]
    [MemberData(nameof(ConformanceProviders.All), MemberType = typeof(ConformanceProviders))]
    public async Task Optional_roles_are_present_exactly_when_declared(string provider)
    {
        await using var run = await ConformanceRun.StartAsync(provider);
        var target = run.Provider.TryParse(run.Database.Setting)!;

        await using var session = await run.Provider.OpenSessionAsync(target, SessionOptions.Default, CancellationToken.None);

        Assert.Equal(run.Capabilities, session.Capabilities);
        Assert.Equal(run.Capabilities.BatchStatements, session.BatchExecutor is not null);
        Assert.Equal(run.Capabilities.SchemaReading, session.SchemaReader is not null);
        Assert.Equal(run.Capabilities.ShadowDatabases, session.ShadowDatabases is not null);
    }
}
