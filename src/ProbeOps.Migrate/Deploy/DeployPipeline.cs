using System.Diagnostics;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>The outcome of a deploy or preflight: the report, and the failure behind a non-zero exit.</summary>
public sealed record DeployOutcome(DeployReport Report, MigrateException? Failure, IReadOnlyList<string> LogFiles);

/// <summary>
/// The safe deploy of SPEC §6: the stages of <see cref="Stages"/> in order over one
/// <see cref="DeployState"/>, each timed and reported; the first failing stage ends the run with its
/// exit code. Preflight runs the stages that change nothing. The report is made once, at the end,
/// and written to the deployment log.
/// </summary>
public sealed class DeployPipeline(
    MigrateSettings settings,
    ProviderRegistry providers,
    TimeProvider time,
    Actor actor,
    IDeployObserver observer,
    IMigrationLinter? linter = null)
{
    /// <summary>Every stage of a deploy, in order.</summary>
    public static IReadOnlyList<IDeployStage> Stages(IMigrationLinter? linter = null) =>
    [
        new ValidateStage(), new ConnectStage(), new VersionsStage(), new LockStage(), new InspectStage(),
        new LintStage(linter ?? new MigrationLinter()), new DriftStage(), new PlanStage(), new BackupStage(), new ApplyStage(), new RecordStage(),
    ];

    public async Task<DeployOutcome> RunAsync(DeployRequest request, bool preflight, CancellationToken cancellationToken)
    {
        var state = new DeployState(settings, request, preflight, ToolInfo.NewDeployId(time), time.GetUtcNow(), observer);
        if (!preflight && DeployLogWriter.CheckWritable(settings.LogDirectory) is { } unwritable)
        {
            return new DeployOutcome(state.ToReport(unwritable, time.GetUtcNow()), unwritable, []);
        }

        MigrateException? failure = null;
        try
        {
            // A protected environment's refusals come before anything connects: nothing is touched.
            CheckProtectedEnvironment(request);

            // Settings first: a missing database setting is a usage error, whatever the files say.
            state.Context = MigrationContext.Create(settings, providers, time, observer, actor);
            foreach (var stage in Stages(linter).Where(s => !preflight || s.ChangesNothing))
            {
                await RunStageAsync(stage, state, cancellationToken);
            }
        }
        catch (MigrateException ex)
        {
            failure = ex;
        }
        catch (OperationCanceledException ex)
        {
            failure = new MigrateException(FailureKind.Internal, "Cancelled: the open transaction was rolled back.", ex);
        }
        finally
        {
            await state.DisposeAsync();
        }

        var report = state.ToReport(failure, time.GetUtcNow());
        var files = preflight ? [] : DeployLogWriter.TryWrite(report, settings.LogDirectory, state.Warnings);
        return new DeployOutcome(report with { Warnings = [.. state.Warnings] }, failure, files);
    }

    private void CheckProtectedEnvironment(DeployRequest request)
    {
        if (request.NoBackup)
        {
            ProtectedEnvironment.RefuseIrreversible(settings, "--no-backup");
        }

        ProtectedEnvironment.RequireReason(settings, RiskAcceptingFlags.In(request), request.Reason);
    }

    /// <summary>Runs one stage, or reports it skipped; a failing stage is reported before its error ends the run.</summary>
    public static async Task RunStageAsync(IDeployStage stage, DeployState state, CancellationToken cancellationToken)
    {
        if (await stage.SkipAsync(state, cancellationToken) is { } skipped)
        {
            if (!ReferenceEquals(skipped, StageResult.Omitted))
            {
                Finish(state, new StageReport(stage.Name, StageOutcome.Skipped, TimeSpan.Zero, skipped.Detail));
            }

            return;
        }

        state.Observer.StageStarted(stage.Name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await stage.RunAsync(state, cancellationToken);
            Finish(state, new StageReport(stage.Name, result.Outcome, Stopwatch.GetElapsedTime(started), result.Detail));
        }
        catch (MigrateException ex)
        {
            Finish(state, new StageReport(stage.Name, StageOutcome.Failed, Stopwatch.GetElapsedTime(started), ex.Message));
            throw;
        }
        catch (OperationCanceledException)
        {
            Finish(state, new StageReport(stage.Name, StageOutcome.Failed, Stopwatch.GetElapsedTime(started), "cancelled"));
            throw;
        }
    }

    private static void Finish(DeployState state, StageReport stage)
    {
        state.Stages.Add(stage);
        state.Observer.StageFinished(stage);
    }
}
