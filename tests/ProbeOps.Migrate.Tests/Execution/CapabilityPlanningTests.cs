using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary>How a run plans around a server that cannot roll back DDL, and how the lock is chosen from the environment.</summary>
public class CapabilityPlanningTests
{
    private const string Database = "postgres://app@db:26257/orders";
    private static readonly ProviderCapabilities WithoutDdlTransactions = new() { ServerProcess = true, TransactionalDdl = false };

    private static RunOptions Options(TransactionMode mode, bool dryRun = false) =>
        new(mode, dryRun, 5, "deploy-1", new Actor("app", "host", "1.0"));

    [Fact]
    public void A_server_with_transactional_ddl_plans_as_asked()
    {
        var capabilities = WithoutDdlTransactions with { TransactionalDdl = true };

        Assert.Null(CapabilityPlanning.Check(capabilities, Options(TransactionMode.Single), Database));
        Assert.Null(CapabilityPlanning.Check(capabilities, Options(TransactionMode.Single, dryRun: true), Database));
    }

    [Fact]
    public void Without_transactional_ddl_an_all_or_nothing_run_is_refused_before_anything_changes()
    {
        var error = Assert.Throws<MigrateException>(() => CapabilityPlanning.Check(WithoutDdlTransactions, Options(TransactionMode.Single), Database));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("cannot roll back DDL", error.Message, StringComparison.Ordinal);
        Assert.Contains("--transaction per-migration", error.Message, StringComparison.Ordinal);
        Assert.Contains(Database, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_transactional_ddl_a_dry_run_is_refused()
    {
        var error = Assert.Throws<MigrateException>(() => CapabilityPlanning.Check(WithoutDdlTransactions, Options(TransactionMode.PerMigration, dryRun: true), Database));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains("dry run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_transactional_ddl_one_migration_at_a_time_goes_ahead_with_a_warning()
    {
        var warning = CapabilityPlanning.Check(WithoutDdlTransactions, Options(TransactionMode.PerMigration), Database);

        Assert.NotNull(warning);
        Assert.Contains("may stay partly applied", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, MigrationLockKind.Auto, 30)]
    [InlineData("row", "3s", MigrationLockKind.Row, 3)]
    [InlineData(" Advisory ", null, MigrationLockKind.Advisory, 30)]
    public void The_lock_comes_from_the_environment(string? kind, string? lease, MigrationLockKind expected, int leaseSeconds)
    {
        var settings = Load(kind, lease);

        Assert.Equal(expected, settings.MigrationLock.Kind);
        Assert.Equal(TimeSpan.FromSeconds(leaseSeconds), settings.MigrationLock.Lease);
        Assert.Equal(TimeSpan.FromSeconds(leaseSeconds) / 3, settings.MigrationLock.Renewal);
        Assert.Equal(settings.MigrationLock, settings.ToSessionOptions().Lock);
    }

    [Theory]
    [InlineData("table", null, "PROBEOPS_LOCK=table is not a lock kind")]
    [InlineData("row", "500ms", "PROBEOPS_LOCK_LEASE must be at least 1s")]
    public void A_bad_lock_setting_is_a_usage_error(string kind, string? lease, string expected)
    {
        var error = Assert.Throws<MigrateException>(() => Load(kind, lease));

        Assert.Equal(FailureKind.Usage, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static MigrateSettings Load(string? kind, string? lease)
    {
        var variables = new Dictionary<string, string?> { ["PROBEOPS_LOCK"] = kind, ["PROBEOPS_LOCK_LEASE"] = lease };
        return SettingsLoader.Load(new SettingsOverrides(), name => variables.GetValueOrDefault(name), Path.GetTempPath());
    }
}
