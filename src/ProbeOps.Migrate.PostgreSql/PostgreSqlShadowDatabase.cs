using System.Globalization;
using Npgsql;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// A uniquely named database created on the live database's server, with the same connection
/// settings, for replaying the migrations: the same server prints the same deparsed text. It is
/// dropped (<c>WITH (FORCE)</c> from PostgreSQL 13) when disposed, whatever happened in it.
/// </summary>
internal sealed class PostgreSqlShadowDatabase : IShadowDatabase
{
    /// <summary>Every shadow database's name starts with this, so a left-over one is easy to recognise.</summary>
    public const string NamePrefix = "probeops_shadow_";

    private readonly PostgreSqlSession _live;
    private readonly PostgreSqlSessionContext _context;
    private readonly string _name;
    private bool _disposed;

    private PostgreSqlShadowDatabase(PostgreSqlSession live, PostgreSqlSessionContext context, string name, IDatabaseSession session)
    {
        _live = live;
        _context = context;
        _name = name;
        Session = session;
    }

    public IDatabaseSession Session { get; }

    public string Description => $"shadow database {_name} on the server of {_live.Target.Display}";

    public string? CleanupProblem { get; private set; }

    public static async Task<PostgreSqlShadowDatabase> CreateAsync(
        PostgreSqlSession live, PostgreSqlSessionContext context, SessionOptions options, CancellationToken cancellationToken)
    {
        var time = context.Time;
        var name = NamePrefix + time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" +
                   Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var executor = (PostgreSqlExecutor)live.Executor;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await executor.RunAsync("CREATE DATABASE " + PostgreSqlSyntax.QuoteIdentifier(name), cancellationToken);
                break;
            }
            catch (StatementFailedException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 4)
            {
                // Someone is connected to the template database; it usually lasts a moment.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time, cancellationToken);
            }
            catch (StatementFailedException e) when (e.IsConnectionLost)
            {
                throw new MigrateException(FailureKind.DatabaseUnreachable, $"Lost the connection to {live.Target.Display} while creating a shadow database: {e.Message}", e);
            }
            catch (StatementFailedException e)
            {
                var why = e.SqlState == PostgresErrorCodes.InsufficientPrivilege
                    ? "the user may not create databases (CREATEDB)"
                    : e.Message;
                throw new ShadowDatabaseUnavailableException(
                    $"Cannot create a shadow database on the server of {live.Target.Display} to compute the expected schema: {why}. " +
                    "Grant CREATEDB, pass --shadow-database URL (an empty database the tool may use), or commit a snapshot (probeops-migrate snapshot).",
                    why,
                    e);
            }
        }

        var settings = new NpgsqlConnectionStringBuilder(live.Target.ConnectionString) { Database = name };
        var target = new DatabaseTarget(PostgreSqlProvider.ProviderName, settings.ConnectionString, $"{name} (shadow)", name);
        try
        {
            var session = await PostgreSqlSession.OpenAsync(context, target, options, cancellationToken);
            return new PostgreSqlShadowDatabase(live, context, name, session);
        }
        catch
        {
            await DropAsync(live, context, name);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Session.DisposeAsync();
        CleanupProblem = await DropAsync(_live, _context, _name);
    }

    /// <summary>Drops the database through the live session, or a fresh connection when that one broke; returns what went wrong, if anything.</summary>
    private static async Task<string?> DropAsync(PostgreSqlSession live, PostgreSqlSessionContext context, string name)
    {
        var drop = "DROP DATABASE IF EXISTS " + PostgreSqlSyntax.QuoteIdentifier(name) + (live.ServerVersionNumber >= 130000 ? " WITH (FORCE)" : "");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ((PostgreSqlExecutor)live.Executor).RunAsync(drop, CancellationToken.None);
                return null;
            }
            catch (StatementFailedException e) when (e.IsConnectionLost)
            {
                // The live connection is gone (a cancelled run); try on a connection of our own.
                break;
            }
            catch (StatementFailedException e) when (e.SqlState == PostgresErrorCodes.OutOfMemory && attempt < 50)
            {
                // A replay that filled the server's lock table: its locks are freed as the server process ends.
                await Task.Delay(TimeSpan.FromMilliseconds(100), context.Time, CancellationToken.None);
            }
            catch (StatementFailedException e)
            {
                return $"The shadow database {name} could not be dropped ({e.Message}): drop it by hand (DROP DATABASE {PostgreSqlSyntax.QuoteIdentifier(name)}).";
            }
        }

        try
        {
            var settings = new NpgsqlConnectionStringBuilder(live.Target.ConnectionString) { Pooling = false };
            await using var connection = context.Sources.CreateConnection(settings.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand(drop, connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
        {
            return $"The shadow database {name} could not be dropped ({e.Message}): drop it by hand (DROP DATABASE {PostgreSqlSyntax.QuoteIdentifier(name)}).";
        }
    }
}
