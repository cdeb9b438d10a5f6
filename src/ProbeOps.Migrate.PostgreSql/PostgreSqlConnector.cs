using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Opens the session's connection with bounded retries, and turns every way of failing into one
/// actionable line that shows the target only in its masked form.
/// </summary>
internal static class PostgreSqlConnector
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(4);

    public static async Task<NpgsqlConnection> OpenAsync(
        PostgreSqlDataSources sources,
        NpgsqlConnectionStringBuilder settings,
        DatabaseTarget target,
        SessionOptions options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var attempts = Math.Max(0, options.ConnectRetries) + 1;
        var perAttempt = TimeSpan.FromSeconds(settings.Timeout);
        var connectionString = settings.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            var connection = sources.CreateConnection(connectionString);

            // Npgsql's own Timeout bounds the attempt; this is the backstop for a stalled TLS or auth exchange.
            using var timeout = new CancellationTokenSource(perAttempt + TimeSpan.FromSeconds(1), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            Failure failure;
            try
            {
                await connection.OpenAsync(linked.Token);
                return connection;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                throw;
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or SocketException or IOException)
            {
                await connection.DisposeAsync();
                failure = Classify(e, settings, target, perAttempt);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
            {
                await connection.DisposeAsync();
                throw new MigrateException(
                    FailureKind.Usage,
                    $"The PostgreSQL settings of {target.Display} cannot be used: {e.Message}",
                    e);
            }

            if (!failure.Transient || attempt >= attempts)
            {
                var tries = attempt > 1 ? $" (after {attempt} attempts)" : "";
                throw new MigrateException(FailureKind.DatabaseUnreachable, failure.Message(tries), failure.Cause);
            }

            await Task.Delay(RetryDelay(attempt), time, cancellationToken);
        }
    }

    /// <summary>Doubling from 250 ms, capped at 4 s.</summary>
    internal static TimeSpan RetryDelay(int attempt)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 10));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    /// <summary>Names a failure to connect: bad credentials and unknown names are final; refusals and timeouts are worth another try.</summary>
    internal static Failure Classify(Exception e, NpgsqlConnectionStringBuilder settings, DatabaseTarget target, TimeSpan perAttempt)
    {
        var display = target.Display;
        var user = settings.Username ?? Environment.UserName;
        if (Find<PostgresException>(e) is { } pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword => new Failure(
                    false, _ => $"authentication failed for user \"{user}\" at {display}: check the password", e),
                PostgresErrorCodes.InvalidAuthorizationSpecification => new Failure(
                    false, _ => $"the server refused user \"{user}\" at {display} ({pg.MessageText}): check the user name and the server's pg_hba.conf", e),
                PostgresErrorCodes.InvalidCatalogName => new Failure(
                    false, _ => $"database \"{target.DatabaseName}\" does not exist at {display}: create it (createdb {target.DatabaseName}) or correct the name", e),
                PostgresErrorCodes.InsufficientPrivilege => new Failure(
                    false, _ => $"user \"{user}\" may not connect to {display} ({pg.MessageText}): grant CONNECT on the database or use another user", e),
                PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown
                    or PostgresErrorCodes.CrashShutdown => new Failure(
                    true, tries => $"cannot connect to {display}: {pg.MessageText}{tries}: retry when the server accepts connections again", e),
                _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => new Failure(
                    true, tries => $"cannot connect to {display}: {pg.MessageText}{tries}", e),
                _ => new Failure(false, _ => $"cannot connect to {display}: {pg.MessageText}", e),
            };
        }

        if (Find<SocketException>(e) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new Failure(
                    true, tries => $"connection refused by {display}{tries}: check that PostgreSQL is running and listens on that host and port", e),
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => new Failure(
                    false, _ => $"cannot connect to {display}: the host name \"{settings.Host}\" is unknown: check the host name", e),
                SocketError.TimedOut => TimedOut(e, display, perAttempt),
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => new Failure(
                    true, tries => $"cannot connect to {display}: the host is unreachable{tries}: check the host name and the network between", e),
                _ => new Failure(true, tries => $"cannot connect to {display}: {socket.Message}{tries}", e),
            };
        }

        if (Find<TimeoutException>(e) is not null || e is OperationCanceledException)
        {
            return TimedOut(e, display, perAttempt);
        }

        if (Find<AuthenticationException>(e) is { } tls)
        {
            return new Failure(false, _ => $"the TLS handshake with {display} failed ({tls.Message}): check sslmode and the certificates", e);
        }

        return new Failure(true, tries => $"cannot connect to {display}: {e.Message}{tries}", e);
    }

    private static Failure TimedOut(Exception e, string display, TimeSpan perAttempt) =>
        new(true, tries => $"cannot connect to {display}: no answer within {perAttempt.TotalSeconds:0.#} s{tries}: check the host, the port and any firewall in between", e);

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>How one attempt failed.</summary>
    /// <param name="Transient">Whether another attempt may succeed.</param>
    /// <param name="Message">The user's line, given the attempt count suffix.</param>
    internal sealed record Failure(bool Transient, Func<string, string> Message, Exception Cause);
}
