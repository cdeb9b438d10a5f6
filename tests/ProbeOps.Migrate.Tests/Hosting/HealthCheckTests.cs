using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Hosting;

/// <summary>The health check on real databases: pending migrations, drift and unfinished backfills, each reported.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Pending_migrations_are_unhealthy_and_named()
    {
        await using var project = new HostingProject();

        var health = await project.HealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("2 pending", health.Description, StringComparison.Ordinal);
        Assert.Equal([HostingProject.First, HostingProject.Second], (string[])health.Data["pending"]);
    }

    [Fact]
    public async Task An_up_to_date_database_is_healthy_until_its_schema_is_changed_behind_the_tool()
    {
        await using var project = new HostingProject();
        await project.Migrator.UpgradeAsync();

        var healthy = await project.HealthAsync();
        project.Execute("ALTER TABLE probes ADD COLUMN note text");
        var drifted = await project.HealthAsync();

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(0, healthy.Data["drift"]);
        Assert.Equal(HealthStatus.Unhealthy, drifted.Status);
        Assert.Equal(1, drifted.Data["drift"]);
        Assert.Contains("drift: 1 difference", drifted.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unfinished_backfill_is_degraded_and_named()
    {
        await using var database = await PostgresServer.Shared.CreateDatabaseAsync();
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_items.sql", MigrationText.File(null, """
            CREATE TABLE items (id bigint PRIMARY KEY, done boolean);
            INSERT INTO items (id) SELECT g FROM generate_series(1, 10) g;
            CREATE FUNCTION refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'item % is refused', NEW.id; END $$;
            CREATE TRIGGER refuse_item BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.id = 7) EXECUTE FUNCTION refuse_item();
            """));
        dir.Write("migrations/20250102_mark_done.sql", """
            -- down_revision: 20250101_items

            -- migrate:upgrade
            ALTER TABLE items ADD COLUMN marked boolean;

            -- migrate:backfill
            UPDATE items SET marked = true WHERE id IN (SELECT id FROM items WHERE marked IS NULL ORDER BY id LIMIT 3);
            """);
        await using var migrator = Migrator.Create(o => o.UsePostgreSql(database.Url).FromDirectory(dir.Combine("migrations")));

        await Assert.ThrowsAnyAsync<MigrateException>(() => migrator.UpgradeAsync());
        var health = await HostingProject.HealthAsync(migrator);

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("1 backfilling", health.Description, StringComparison.Ordinal);
        Assert.Equal(["20250102_mark_done"], (string[])health.Data["unfinishedBackfills"]);
        Assert.Empty((string[])health.Data["pending"]);
    }
}
