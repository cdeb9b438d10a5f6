using System.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteLockTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Second_session_times_out_while_the_first_holds_the_lock_and_succeeds_after_release()
    {
        await using var first = await _dir.OpenAsync();
        var clock = new VirtualClock();
        await using var second = await new SqliteProvider(clock).OpenSessionAsync(_dir.Target(), SessionOptions.Default, CancellationToken.None);

        var held = await first.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        var error = await Assert.ThrowsAsync<MigrateException>(
            () => second.Lock.AcquireAsync(TimeSpan.FromMilliseconds(400), CancellationToken.None));

        Assert.Equal(FailureKind.LockTimeout, error.Kind);
        Assert.Contains(_dir.File("app.db.migrate-lock"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        // It tried again and again until the whole wait had passed on its clock, then gave up.
        Assert.Equal(TimeSpan.FromMilliseconds(400), clock.Elapsed);
        Assert.True(clock.Waits >= 3, $"waited {clock.Waits} times");

        await held.DisposeAsync();
        await using var acquired = await second.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(File.Exists(_dir.File("app.db.migrate-lock")));
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_as_soon_as_it_is_released()
    {
        await using var first = await _dir.OpenAsync();
        var clock = new VirtualClock();
        await using var second = await new SqliteProvider(clock).OpenSessionAsync(_dir.Target(), SessionOptions.Default, CancellationToken.None);
        var held = await first.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);

        // On the virtual clock the waiter retries without pause: once it has retried, release the lock.
        var waiting = second.Lock.AcquireAsync(TimeSpan.FromDays(10_000), CancellationToken.None);
        while (clock.Waits < 2)
        {
            Assert.False(waiting.IsCompleted, "the waiter finished while the lock was held");
            await Task.Yield();
        }

        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();

        await using var acquired = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Closing_the_session_releases_a_lock_still_held()
    {
        var first = await _dir.OpenAsync();
        await first.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        await first.DisposeAsync();

        await using var second = await _dir.OpenAsync();
        await using var acquired = await second.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
    }

    [Fact]
    public async Task Holding_the_lock_does_not_block_per_migration_commits()
    {
        await using var session = await _dir.OpenAsync();
        await using var held = await session.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            await session.Executor.BeginTransactionAsync(CancellationToken.None);
            await session.Executor.ExecuteAsync(new SqlStatement($"CREATE TABLE t{i} (id INTEGER)", 1), CancellationToken.None);
            await session.Executor.CommitAsync(CancellationToken.None);
        }

        // Other connections (the application) keep reading and writing between migrations.
        await using var other = await _dir.OpenAsync();
        await other.Executor.ExecuteAsync(new SqlStatement("INSERT INTO t0 VALUES (1)", 1), CancellationToken.None);
    }

    [Fact]
    public async Task Waiting_for_the_lock_can_be_cancelled()
    {
        await using var first = await _dir.OpenAsync();
        await using var second = await _dir.OpenAsync();
        await using var held = await first.Lock.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => second.Lock.AcquireAsync(TimeSpan.FromSeconds(30), cancel.Token));
    }

    [Fact]
    public async Task Another_process_holding_the_lock_file_blocks_the_session()
    {
        // The other process is util-linux flock(1), which takes the same flock(2) lock .NET takes for
        // FileShare.None; on Windows FileShare.None is an OS sharing mode and needs no such check.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var session = await _dir.OpenAsync();
        var lockFile = _dir.File("app.db.migrate-lock");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "30"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            // Wait until flock(1) holds it (it holds it for as long as it runs).
            while (true)
            {
                try
                {
                    await using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException busy) when (busy is not FileNotFoundException)
                {
                    break;
                }
                catch (FileNotFoundException)
                {
                    // flock(1) has not created it yet.
                }

                Assert.False(holder.HasExited, "flock(1) ended without holding the lock");
                await Task.Delay(20);
            }

            var error = await Assert.ThrowsAsync<MigrateException>(
                () => session.Lock.AcquireAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None));
            Assert.Equal(FailureKind.LockTimeout, error.Kind);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }

        await using var acquired = await session.Lock.AcquireAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    }
}
