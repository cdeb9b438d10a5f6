using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// Opens the database a replay runs in: the one the user gave with <c>--shadow-database</c> (checked
/// empty, emptied again after use), or else a new one from the provider's shadow databases.
/// </summary>
internal sealed class ShadowDatabaseOpener(IDatabaseProvider provider, MigrateSettings settings, ProviderRegistry providers, DriftOptions options)
{
    public async Task<IShadowDatabase> OpenAsync(IDatabaseSession live, CancellationToken cancellationToken)
    {
        if ((options.ShadowDatabase ?? settings.ShadowDatabase) is { } setting)
        {
            return await OpenGivenAsync(setting, live, cancellationToken);
        }

        var shadows = live.ShadowDatabases
            ?? throw new MigrateException(
                FailureKind.Usage,
                $"The {provider.Name} provider cannot create shadow databases: give one with --shadow-database URL, or compare against a snapshot (--snapshot FILE).");
        return await shadows.CreateShadowAsync(settings.ToSessionOptions(), cancellationToken);
    }

    private async Task<IShadowDatabase> OpenGivenAsync(string setting, IDatabaseSession live, CancellationToken cancellationToken)
    {
        var (given, target) = providers.Resolve(setting);
        if (!string.Equals(given.Name, provider.Name, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, $"The shadow database {target.Display} is {given.Name}; the database checked is {provider.Name}: give a {provider.Name} database.");
        }

        if (string.Equals(target.ConnectionString, live.Target.ConnectionString, StringComparison.Ordinal))
        {
            throw new MigrateException(FailureKind.Usage, "The shadow database is the database being checked: give an empty database of its own (it is emptied after use).");
        }

        var session = await given.OpenSessionAsync(target, settings.ToSessionOptions(), cancellationToken);
        try
        {
            if (await session.Inspector.GetStateAsync(cancellationToken) != DatabaseState.Empty)
            {
                var objects = await session.Inspector.ListUserObjectsAsync(cancellationToken);
                throw new MigrateException(
                    FailureKind.Usage,
                    $"The shadow database {target.Display} is not empty ({string.Join(", ", objects.Take(5))}{(objects.Count > 5 ? ", ..." : "")}): " +
                    "give an empty database; the migrations are replayed into it and it is emptied again afterwards.");
            }
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return new GivenShadowDatabase(session);
    }

    /// <summary>A database the user gave for replays: emptied after use (objects and history; the audit log stays, as after <c>reset</c>).</summary>
    private sealed class GivenShadowDatabase(IDatabaseSession session) : IShadowDatabase
    {
        public IDatabaseSession Session => session;

        public string Description => $"shadow database {session.Target.Display}";

        public string? CleanupProblem { get; private set; }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await session.Executor.RollbackAsync(CancellationToken.None);
                await session.Cleaner.DropAllAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is StatementFailedException or MigrateException or InvalidOperationException)
            {
                CleanupProblem = $"The shadow database {session.Target.Display} could not be emptied ({ex.Message}): empty it by hand before the next check.";
            }
            finally
            {
                await session.DisposeAsync();
            }
        }
    }
}
