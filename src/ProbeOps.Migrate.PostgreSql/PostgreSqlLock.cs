using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// The migration lock: a session-level advisory lock taken on the session's own connection.
/// </summary>
/// <remarks>
/// It polls <c>pg_try_advisory_lock</c> instead of blocking in <c>pg_advisory_lock</c>, so the
/// wait is bounded and cancellable, and it never uses a second connection: a second connection
/// waiting in a transaction would make <c>CREATE INDEX CONCURRENTLY</c> on the first wait for it
/// forever. The key derives from the history schema and table, and PostgreSQL scopes advisory locks
/// to the database: the lock is keyed by (database, history schema, table), so tenant schemas of one
/// database, and projects with separate history tables, do not contend. A server without working
/// advisory locks gets <see cref="PostgreSqlRowLock"/> instead.
/// </remarks>
public sealed class PostgreSqlLock : IMigrationLock
{
    private readonly PostgreSqlExecutor _executor;
    private readonly string _display;
    private readonly TimeProvider _time;

    internal PostgreSqlLock(PostgreSqlExecutor executor, HistorySql history, string display, TimeProvider time)
    {
        _executor = executor;
        _display = display;
        _time = time;
        Key = KeyFor(PostgreSqlSyntax.SchemaOf(history), history.History.Table);
    }

    /// <summary>The advisory lock key this session takes.</summary>
    public long Key { get; }

    /// <summary>
    /// A stable key for a history table: the first 8 bytes of SHA-256 over
    /// <c>probeops-migrate:schema.table</c>, big-endian.
    /// </summary>
    public static long KeyFor(string schema, string table)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("probeops-migrate:" + schema + "." + table), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    public async Task<IAsyncDisposable> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        await PostgreSqlLockWait.WaitAsync(TryTakeAsync, ct => TimeoutMessageAsync(wait, ct), wait, _time, cancellationToken);
        return new Release(this);
    }

    private async Task<bool> TryTakeAsync(CancellationToken cancellationToken) =>
        await _executor.QuerySingleAsync("SELECT pg_try_advisory_lock($1)", r => r.GetBoolean(0), cancellationToken, Key);

    private async Task<string> TimeoutMessageAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        // A bigint advisory key shows in pg_locks as classid (high half), objid (low half), objsubid 1.
        var holders = await _executor.QueryAsync(
            """
            SELECT l.pid, coalesce(a.application_name, '')
            FROM pg_locks l
            LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = (($1::bigint >> 32) & 4294967295)::oid
              AND l.objid = ($1::bigint & 4294967295)::oid
            """,
            r => (Pid: r.GetInt32(0), Application: r.GetString(1)),
            cancellationToken,
            Key);
        var waited = wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var holder = holders.Count > 0
            ? $"PostgreSQL pid {holders[0].Pid.ToString(CultureInfo.InvariantCulture)}" +
              (holders[0].Application.Length > 0 ? $", application \"{holders[0].Application}\"" : "")
            : "it has just released it";
        return $"another migration run holds the migration lock on {_display} ({holder}); waited {waited} s: " +
               "let it finish and try again, or wait longer with --wait-for-lock";
    }

    private async Task ReleaseAsync()
    {
        try
        {
            await _executor.RunAsync("SELECT pg_advisory_unlock($1)", CancellationToken.None, Key);
        }
        catch (StatementFailedException e) when (e.IsConnectionLost)
        {
            // The server released it with the connection.
        }
        catch (StatementFailedException e) when (e.SqlState == "25P02")
        {
            // A failed transaction is still open (the run is failing): closing the session
            // releases the lock, and throwing here would hide the error that matters.
        }
    }

    private sealed class Release(PostgreSqlLock owner) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await owner.ReleaseAsync();
            }
        }
    }
}
