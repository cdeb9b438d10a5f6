namespace ProbeOps.Migrate.Tests.Infrastructure;

/// <summary>
/// A clock that never makes anyone wait: each timer moves it forward by its due time and fires at once, on the
/// thread pool. Code that waits through a <see cref="TimeProvider"/> runs its whole schedule immediately, and the
/// test reads how long it would have waited (<see cref="Elapsed"/>) and how many times (<see cref="Waits"/>).
/// <see cref="StartingReal"/> gives one that keeps real time until <see cref="GoVirtual"/> (a session's connect
/// timeout must not fire the moment it is set).
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    private readonly long _origin = TimeProvider.System.GetTimestamp();
    private volatile bool _virtual = true;
    private long _ticks;
    private int _waits;

    public static VirtualClock StartingReal() => new() { _virtual = false };

    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    public int Waits => Volatile.Read(ref _waits);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>From now on, time moves only when a timer is set.</summary>
    public void GoVirtual()
    {
        Interlocked.Exchange(ref _ticks, TimeProvider.System.GetElapsedTime(_origin).Ticks);
        _virtual = true;
    }

    public override long GetTimestamp() => _virtual ? Interlocked.Read(ref _ticks) : TimeProvider.System.GetElapsedTime(_origin).Ticks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!_virtual)
        {
            return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
        }

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
