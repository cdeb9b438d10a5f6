using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProbeOps.Migrate;

/// <summary>
/// Healthy when the database is at the migrations' heads with no drift; Degraded while a backfill is unfinished (the
/// app works, the data is still being changed); the registration's failure status (Unhealthy by default) when a
/// migration is pending, a history does not match the files, drift is found, or the database cannot be reached.
/// Takes no lock and changes nothing: one status read, and one schema read when drift is checked.
/// </summary>
public sealed class MigrationHealthCheck(Migrator migrator, bool checkDrift = true) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration.FailureStatus;
        MigrationCheck check;
        try
        {
            check = await migrator.CheckAsync(checkDrift, cancellationToken);
        }
        catch (MigrateException e)
        {
            return new HealthCheckResult(failure, e.Message, data: new Dictionary<string, object> { ["database"] = migrator.Database });
        }

        var data = Data(check);
        var problems = check.Problems();
        if (problems.Count == 0)
        {
            return HealthCheckResult.Healthy($"{migrator.Database} is up to date", data);
        }

        var status = problems.All(p => p.Contains("backfill", StringComparison.Ordinal)) ? HealthStatus.Degraded : failure;
        return new HealthCheckResult(status, $"{migrator.Database}: {string.Join(", ", problems)}", data: data);
    }

    private Dictionary<string, object> Data(MigrationCheck check)
    {
        var data = new Dictionary<string, object>
        {
            ["database"] = migrator.Database,
            ["heads"] = check.Status.AppliedHeads.ToArray(),
            ["pending"] = check.Status.Pending.Select(r => r.Id).Concat(check.Status.PendingRepeatables.Select(r => r.Repeatable.Name)).ToArray(),
            ["unfinishedBackfills"] = check.Status.Backfilling.Select(b => b.Revision).ToArray(),
            ["drift"] = check.Drift is { } drift ? drift.Comparison.Differences.Count : "not checked",
        };
        if (check.Drift is { } report)
        {
            data["driftCheck"] = report.Check;
        }

        if (check.DriftNotChecked is { } why)
        {
            data["driftNotChecked"] = why;
        }

        return data;
    }
}
