using System.Diagnostics;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Fleet;

/// <summary>The outcomes of <c>status --targets</c>: where each target stands against the files.</summary>
public static class StatusOutcomes
{
    public const string Current = "current";

    /// <summary>Revisions (or repeatables, backfills) pending: the next deploy brings it up.</summary>
    public const string Behind = "behind";

    /// <summary>Applied revisions the files do not know: the database is ahead of this checkout.</summary>
    public const string Ahead = "ahead";

    /// <summary>Applied revisions whose files changed since.</summary>
    public const string Edited = "edited";

    /// <summary>The target could not be read (unreachable, refused): where it stands is unknown.</summary>
    public const string Unknown = "unknown";
}

/// <summary><c>status</c> on one target: the single-database verb, its result reduced to one outcome word.</summary>
public sealed class StatusTargetCommand(MigrateSettings settings, ProviderRegistry providers, TimeProvider time, Actor actor, bool check) : ITargetCommand
{
    public async Task<TargetOutcome> RunAsync(FleetTarget target, IFleetObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        StatusResult status;
        try
        {
            status = await new MigrationCommands(FleetSettings.For(settings, target), providers, time, actor: actor).StatusAsync(cancellationToken);
        }
        catch (MigrateException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return TargetOutcome.Failure(target, ex, Stopwatch.GetElapsedTime(started)) with { Outcome = StatusOutcomes.Unknown };
        }

        var attention = status.NeedingAttention();
        var heads = status.AppliedHeads;
        return new TargetOutcome
        {
            Target = target,
            Outcome = status.Unknown.Count > 0 ? StatusOutcomes.Ahead
                : status.Edited.Count > 0 ? StatusOutcomes.Edited
                : status.IsUpToDate ? StatusOutcomes.Current
                : StatusOutcomes.Behind,
            ExitCode = check && attention.Count > 0 ? (int)FailureKind.InvalidMigrations : 0,
            Pending = [.. status.Pending.Select(r => r.Id)],
            HeadsBefore = heads,
            HeadsAfter = heads,
            Detail = attention.Count == 0 ? null : string.Join(", ", attention),
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }
}

/// <summary>
/// <c>drift</c> on one target: its live schema against the expected one at its revisions. The expected schema
/// is shared by the fleet's targets (<see cref="SharedExpectedSchemas"/>): computed once for each set of revisions.
/// </summary>
public sealed class DriftTargetCommand(MigrateSettings settings, ProviderRegistry providers, TimeProvider time, Actor actor, DriftOptions options) : ITargetCommand
{
    public async Task<TargetOutcome> RunAsync(FleetTarget target, IFleetObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        var commands = new MigrationCommands(FleetSettings.For(settings, target), providers, time, actor: actor);
        var report = await commands.DriftAsync(options with { TargetSchema = target.Schema }, cancellationToken);
        return new TargetOutcome
        {
            Target = target,
            Outcome = report.HasDrift ? "drift" : "no-drift",
            ExitCode = report.ExitCode,
            HeadsBefore = report.Heads,
            HeadsAfter = report.Heads,
            Detail = report.HasDrift
                ? $"{DriftText.Count(report.Comparison.Differences.Count)}; first: {report.Comparison.Differences[0]}"
                : $"matches ({report.Check})",
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }
}
