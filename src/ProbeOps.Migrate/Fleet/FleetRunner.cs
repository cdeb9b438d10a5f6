using System.Diagnostics;

namespace ProbeOps.Migrate.Fleet;

/// <summary>
/// Schedules a command over a fleet's targets (SPEC §12): waves one after the other, in each up to
/// <c>parallel</c> targets at once, in the file's order. A failure under <see cref="FleetErrorPolicy.Stop"/>,
/// or a stop request (SIGINT/SIGTERM), lets the running targets end and starts no more; a stop request
/// also reaches the running targets, which roll back what they had open. Targets never started are skipped.
/// </summary>
public sealed class FleetRunner(int parallel, FleetErrorPolicy onError, IReadOnlyList<string> waveOrder)
{
    private volatile bool _failed;

    /// <summary>Runs <paramref name="command"/> on every target; returns their outcomes in the file's order.</summary>
    public async Task<IReadOnlyList<TargetOutcome>> RunAsync(
        IReadOnlyList<FleetTarget> targets, ITargetCommand command, IFleetObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var outcomes = new TargetOutcome[targets.Count];
        foreach (var wave in waveOrder)
        {
            await RunWaveAsync([.. targets.Where(t => t.Wave == wave)], command, observer, outcomes, stop);
        }

        return outcomes;
    }

    private bool Stopping(CancellationToken stop) => stop.IsCancellationRequested || (_failed && onError == FleetErrorPolicy.Stop);

    private async Task RunWaveAsync(
        IReadOnlyList<FleetTarget> wave, ITargetCommand command, IFleetObserver observer, TargetOutcome[] outcomes, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(parallel);
        var running = new List<Task>();
        foreach (var target in wave)
        {
            // Waits for a running target to end, never for the stop request: the targets running end first.
            await slots.WaitAsync(CancellationToken.None);
            if (Stopping(stop))
            {
                slots.Release();
                outcomes[target.Order] = TargetOutcome.Skipped(target);
                observer.TargetFinished(outcomes[target.Order]);
                continue;
            }

            running.Add(RunTargetAsync(target, command, observer, outcomes, slots, stop));
        }

        await Task.WhenAll(running);
    }

    private async Task RunTargetAsync(
        FleetTarget target, ITargetCommand command, IFleetObserver observer, TargetOutcome[] outcomes, SemaphoreSlim slots, CancellationToken stop)
    {
        // Off the scheduling loop at once, so the next target can start while this one connects.
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        TargetOutcome outcome;
        try
        {
            observer.TargetStarted(target);
            outcome = await command.RunAsync(target, observer, stop);
        }
        catch (MigrateException ex)
        {
            outcome = TargetOutcome.Failure(target, ex, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            outcome = TargetOutcome.Failure(
                target, new MigrateException(FailureKind.Internal, "Interrupted: the open transaction was rolled back."), Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            outcome = TargetOutcome.Failure(
                target, new MigrateException(FailureKind.Internal, $"Unexpected {ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}"), Stopwatch.GetElapsedTime(started));
        }

        if (outcome.Failed && stop.IsCancellationRequested)
        {
            outcome = outcome with { Outcome = TargetOutcomes.Interrupted };
        }

        if (outcome.Failed)
        {
            _failed = true;
        }

        outcomes[target.Order] = outcome;
        observer.TargetFinished(outcome);
        slots.Release();
    }
}
