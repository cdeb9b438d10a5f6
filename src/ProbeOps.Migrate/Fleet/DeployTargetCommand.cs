using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// <c>deploy</c> or <c>preflight</c> on one target: the same <see cref="DeployPipeline"/> a single database
/// runs, with the target's settings. Nobody can be asked a question in the middle of a fleet, so an
/// unversioned database needs <c>--stamp-unversioned</c> as it does when not on a terminal.
/// </summary>
public sealed class DeployTargetCommand(
    MigrateSettings settings, ProviderRegistry providers, TimeProvider time, Actor actor, DeployRequest request, bool preflight, IMigrationLinter? linter = null)
    : ITargetCommand
{
    public async Task<TargetOutcome> RunAsync(FleetTarget target, IFleetObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var targetRequest = request with { AskStamp = null, Drift = request.Drift with { TargetSchema = target.Schema } };
        var pipeline = new DeployPipeline(FleetSettings.For(settings, target), providers, time, actor, new StageRelay(target, observer), linter);
        var outcome = await pipeline.RunAsync(targetRequest, preflight, cancellationToken);
        var report = outcome.Report;
        return new TargetOutcome
        {
            Target = target,
            Outcome = report.Outcome,
            ExitCode = report.ExitCode,
            Applied = report.Applied,
            Pending = report.Pending,
            HeadsBefore = report.HeadsBefore,
            // Preflight and a failed deploy leave the database where it was.
            HeadsAfter = report.HeadsAfter.Count == 0 ? report.HeadsBefore : report.HeadsAfter,
            Error = report.Error,
            RestoreCommand = report.RestoreCommand,
            RestorePasswordMasked = report.RestorePasswordMasked,
            Elapsed = report.FinishedAt - report.StartedAt,
            LogFiles = outcome.LogFiles,
            Detail = preflight && outcome.Failure is null ? $"{report.Pending.Count} pending" : null,
        };
    }

    /// <summary>Passes the pipeline's stages on to the fleet's observer, for the live table.</summary>
    private sealed class StageRelay(FleetTarget target, IFleetObserver observer) : IDeployObserver
    {
        public void StageStarted(string stage) => observer.TargetStage(target, stage);

        public void StageFinished(StageReport stage)
        {
        }

        public void StepStarted(StepProgress step)
        {
        }

        public void StepFinished(StepProgress step, TimeSpan elapsed)
        {
        }

        public void Notice(string message)
        {
        }
    }
}

/// <summary>The settings of one target of a fleet: the fleet's, with the target's database and schema.</summary>
public static class FleetSettings
{
    /// <summary>
    /// A schema target keeps its history tables in its schema (so its lock, keyed by database, schema and
    /// history table, is its own) and runs with that schema first on the search_path. Each target's backups
    /// go to a folder named after it, so two tenants of one database never share a backup file name.
    /// </summary>
    public static MigrateSettings For(MigrateSettings settings, FleetTarget target)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(target);
        return settings with
        {
            Database = target.Database,
            HistorySchema = target.Schema ?? settings.HistorySchema,
            TargetSchema = target.Schema,
            BackupDirectory = Path.Combine(settings.BackupDirectory, target.Name),
        };
    }
}
