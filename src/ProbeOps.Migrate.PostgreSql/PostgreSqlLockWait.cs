namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The wait of both migration locks: try, then sleep with capped, jittered exponential backoff (50 ms up
/// to 1 s) until the wait is over, then exit 7 with the lock's own account of who holds it.
/// </summary>
internal static class PostgreSqlLockWait
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(1);

    public static async Task WaitAsync(
        Func<CancellationToken, Task<bool>> tryTake,
        Func<CancellationToken, Task<string>> timeoutMessage,
        TimeSpan wait,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var poll = FirstPoll;
        while (!await tryTake(cancellationToken))
        {
            var remaining = wait - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new MigrateException(FailureKind.LockTimeout, await timeoutMessage(cancellationToken));
            }

            // Jitter keeps several waiting runs from polling in step.
            var sleep = poll * (0.8 + (0.4 * Random.Shared.NextDouble()));
            await Task.Delay(sleep < remaining ? sleep : remaining, time, cancellationToken);
            poll = poll * 2 < MaxPoll ? poll * 2 : MaxPoll;
        }
    }
}
