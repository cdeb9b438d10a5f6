using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// The fleet commands of SPEC §12: <c>deploy</c>, <c>preflight</c>, <c>status</c> and <c>drift</c> over the targets of
/// a targets file. What is the same for every target is done once, before any starts: the targets are resolved
/// (discovery queries run, every database setting read) and the migration files validated; then the
/// <see cref="FleetRunner"/> runs the command's <see cref="ITargetCommand"/> on each. <paramref name="settings"/>
/// are the fleet's: everything but the database comes from them.
/// </summary>
public sealed class FleetCommands(
    MigrateSettings settings, ProviderRegistry providers, TimeProvider? time = null, Actor? actor = null, IMigrationLinter? linter = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Actor _actor = actor ?? Actor.Current;

    public Task<FleetReport> DeployAsync(FleetDefinition fleet, DeployRequest request, IFleetObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shared = request with { Drift = request.Drift with { Shared = new SharedExpectedSchemas() } };
        return RunAsync(fleet, "deploy", new DeployTargetCommand(settings, providers, _time, _actor, shared, preflight: false, linter), request.AllowMultipleHeads, observer, stop);
    }

    public Task<FleetReport> PreflightAsync(FleetDefinition fleet, DeployRequest request, IFleetObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shared = request with { Drift = request.Drift with { Shared = new SharedExpectedSchemas() } };
        return RunAsync(fleet, "preflight", new DeployTargetCommand(settings, providers, _time, _actor, shared, preflight: true, linter), request.AllowMultipleHeads, observer, stop);
    }

    public Task<FleetReport> StatusAsync(FleetDefinition fleet, bool check, IFleetObserver observer, CancellationToken stop) =>
        RunAsync(fleet, "status", new StatusTargetCommand(settings, providers, _time, _actor, check), allowMultipleHeads: true, observer, stop);

    public Task<FleetReport> DriftAsync(FleetDefinition fleet, DriftOptions options, IFleetObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(options);
        var command = new DriftTargetCommand(settings, providers, _time, _actor, options with { Shared = new SharedExpectedSchemas() });
        return RunAsync(fleet, "drift", command, allowMultipleHeads: true, observer, stop);
    }

    /// <summary>The fleet's targets, discovered and with every database setting read; throws (exit 2) on a bad file or query.</summary>
    public Task<IReadOnlyList<FleetTarget>> ResolveAsync(FleetDefinition fleet, CancellationToken cancellationToken) =>
        TargetDiscoverer.ExpandAsync(fleet, providers, settings.ToSessionOptions() with { TargetSchema = null }, cancellationToken);

    private async Task<FleetReport> RunAsync(
        FleetDefinition fleet, string command, ITargetCommand run, bool allowMultipleHeads, IFleetObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(observer);
        var startedAt = _time.GetUtcNow();
        var fleetId = ToolInfo.NewDeployId(_time);
        var deploys = command == "deploy";
        if (deploys && DeployLogWriter.CheckWritable(settings.LogDirectory) is { } unwritable)
        {
            throw unwritable;
        }

        var targets = await ResolveAsync(fleet, stop);
        observer.TargetsResolved(targets);

        // The files are the same for every target: an invalid graph stops the fleet before any target starts.
        MigrationContext.Create(FleetSettings.For(settings, targets[0]), providers, _time).Graphs.Load(allowMultipleHeads);
        var outcomes = await new FleetRunner(fleet.Parallel, fleet.OnError, fleet.WaveOrder).RunAsync(targets, run, observer, stop);
        var report = new FleetReport
        {
            FleetId = fleetId,
            Command = command,
            TargetsFile = fleet.File,
            StartedAt = startedAt,
            FinishedAt = _time.GetUtcNow(),
            Parallel = fleet.Parallel,
            Waves = fleet.WaveOrder,
            OnError = fleet.OnError,
            StopRequested = stop.IsCancellationRequested,
            Targets = outcomes,
        };
        if (!deploys)
        {
            return report;
        }

        var (files, problem) = FleetLogWriter.TryWrite(report, settings.LogDirectory);
        return report with { LogFiles = files, Warning = problem };
    }
}
