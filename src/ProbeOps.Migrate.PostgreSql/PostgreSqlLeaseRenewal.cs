using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Renews a lock row's lease in the background while the run lives. When the lease turns out to be
/// lost (another run took the row over, or no renewal reached the server for a whole lease) the
/// migrating connection is terminated: its open transaction rolls back and the run fails, rather
/// than two runs migrating one database at once.
/// </summary>
internal sealed class PostgreSqlLeaseRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly NpgsqlConnection _connection;
    private readonly string _table;
    private readonly string _token;
    private readonly MigrationLockOptions _options;
    private readonly TimeProvider _time;
    private readonly int _migratingProcess;
    private Task _loop = Task.CompletedTask;

    private PostgreSqlLeaseRenewal(
        NpgsqlConnection connection, string table, string token, MigrationLockOptions options, TimeProvider time, int migratingProcess)
    {
        _connection = connection;
        _table = table;
        _token = token;
        _options = options;
        _time = time;
        _migratingProcess = migratingProcess;
    }

    /// <summary>How many renewals reached the server.</summary>
    public int Renewals { get; private set; }

    public static PostgreSqlLeaseRenewal Start(
        NpgsqlConnection connection, string table, string token, MigrationLockOptions options, TimeProvider time, int migratingProcess)
    {
        var renewal = new PostgreSqlLeaseRenewal(connection, table, token, options, time, migratingProcess);
        renewal._loop = Task.Run(renewal.RunAsync);
        return renewal;
    }

    private async Task RunAsync()
    {
        var lastRenewed = _time.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(_options.Renewal, _time, _stop.Token);
                switch (await RenewAsync())
                {
                    case true:
                        lastRenewed = _time.GetTimestamp();
                        Renewals++;
                        break;
                    case false:
                        await StopMigratingAsync();
                        return;
                    case null when _time.GetElapsedTime(lastRenewed) >= _options.Lease:
                        await StopMigratingAsync();
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released: the run is over.
        }
    }

    /// <summary>True: renewed; false: the row is no longer this run's; null: the server could not be asked.</summary>
    private async Task<bool?> RenewAsync()
    {
        try
        {
            var rows = await PostgreSqlRowLock.RunAsync(
                _connection,
                $"UPDATE {_table} SET expires_at = now() + $2 * interval '1 millisecond' WHERE id = 1 AND token = $1",
                _stop.Token,
                _token,
                _options.Lease.TotalMilliseconds);
            return rows == 1;
        }
        catch (StatementFailedException e) when (e.SqlState == "42P01")
        {
            // reset dropped the lock table under this run's lock: there is nothing left to renew or lose.
            return true;
        }
        catch (StatementFailedException)
        {
            return null;
        }
    }

    /// <summary>Ends the migrating session from the lock's connection; if that fails too, the server has lost both.</summary>
    private async Task StopMigratingAsync()
    {
        try
        {
            await PostgreSqlRowLock.RunAsync(_connection, "SELECT pg_terminate_backend($1)", _stop.Token, _migratingProcess);
        }
        catch (StatementFailedException)
        {
            // Nothing more can be done from here.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-renewal.
        }

        _stop.Dispose();
    }
}
