using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProbeOps.Migrate;

/// <summary>
/// Migrates, or verifies, in <see cref="StartingAsync"/>: the host runs every service's <c>StartingAsync</c> before any
/// <c>StartAsync</c>, and the web server starts in its <c>StartAsync</c>, so no request is served before this is done.
/// A failure stops the host from starting.
/// </summary>
public sealed partial class MigrationStartupService(Migrator migrator, StartupPolicy policy, ILogger<MigrationStartupService> logger)
    : IHostedLifecycleService
{
    public StartupPolicy Policy => policy;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (policy == StartupPolicy.Apply)
            {
                await migrator.UpgradeAsync(cancellationToken);
                return;
            }

            await VerifyAsync(cancellationToken);
        }
        catch (MigrateException e)
        {
            LogRefused(logger, migrator.Database, e.Message);
            throw;
        }
    }

    /// <summary>
    /// Refuses to start on anything pending, edited, unknown or left part-way (exit code 3's kind) and on drift (9's).
    /// An unfinished backfill does not stop the app: the schema it needs is in place; the health check reports it.
    /// </summary>
    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        var check = await migrator.CheckAsync(checkDrift: true, cancellationToken);
        var blocking = check.Problems().Where(p => !p.Contains("backfill", StringComparison.Ordinal)).ToList();
        if (check.DriftNotChecked is { } why)
        {
            LogDriftNotChecked(logger, migrator.Database, why);
        }

        if (blocking.Count > 0)
        {
            throw new MigrateException(
                check.HasDrift ? FailureKind.Drift : FailureKind.InvalidMigrations,
                $"{migrator.Database} is not ready for this version of the app ({string.Join(", ", blocking)}): refusing to start. Apply the migrations (probeops-migrate deploy) first.");
        }

        LogVerified(logger, migrator.Database, check.UnfinishedBackfills);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "Migrations on {Database}: {Problem}")]
    private static partial void LogRefused(ILogger logger, string database, string problem);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "{Database} is up to date ({Backfills} backfills unfinished)")]
    private static partial void LogVerified(ILogger logger, string database, int backfills);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Drift on {Database} was not checked: {Reason}")]
    private static partial void LogDriftNotChecked(ILogger logger, string database, string reason);
}
