namespace ProbeOps.Migrate.Tests.Infrastructure;

/// <summary>
/// A clock that never makes anyone wait: each timer moves it forward by its due time and fires at once, on the
/// thread pool. Code that waits through a <see cref="TimeProvider"/> runs its whole schedule immediately, and the
/// test reads how long it would have waited (<see cref="Elapsed"/>) and how many times (<see cref="Waits"/>).
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private long _ticks;
    private int _waits;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public int Waits => Volatile.Read(ref _waits);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _waits);
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
