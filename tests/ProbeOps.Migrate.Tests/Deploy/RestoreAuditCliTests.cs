using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>A restore is a real restore: the backup's schema exactly, and an audit log that only grows; on real PostgreSQL, through the process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RestoreAuditCliTests
{
    private const string AuditRows =
        "SELECT string_agg(id || ':' || deploy_id || ':' || operation || ':' || outcome, ',' ORDER BY id) FROM probeops_schema_history_audit";

    [Fact]
    public async Task Restore_drops_what_came_after_the_backup_and_keeps_every_audit_row()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 2);
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup")).ExitCode);
        await project.ExecAsync("INSERT INTO accounts VALUES (1, 'at backup');");
        var backup = JsonDocument.Parse((await project.RunAsync("backup", "--json")).Stdout).RootElement.GetProperty("path").GetString()!;
        Assert.True(File.Exists(Path.ChangeExtension(backup, ".schema.json")));

        // After the backup: a migration, objects made by hand, more audit rows.
        project.WriteMigration(DeployProject.Chain[2].Name, DeployProject.Chain[2].Text);
        // A plain CREATE INDEX on the existing orders table is a lint error; the table is a test's few rows.
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup", "--allow-lint-errors")).ExitCode);
        Assert.Equal(0, (await project.RunAsync("stamp", "20250103_order_index")).ExitCode);
        await project.ExecAsync("CREATE TABLE made_later (id int); CREATE SCHEMA side; CREATE TABLE side.t (id int); CREATE FUNCTION later_fn() RETURNS int LANGUAGE sql AS 'SELECT 1'; UPDATE accounts SET name = 'changed';");
        var auditBefore = (await project.ScalarAsync<string>(AuditRows))!;

        var restore = await project.RunAsync("restore", backup, "--confirm", project.Database.Name, "--json");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        var json = JsonDocument.Parse(restore.Stdout).RootElement;
        Assert.Equal("matches", json.GetProperty("schema").GetString());
        Assert.Equal(["accounts", "orders", "probeops_schema_history", "probeops_schema_history_audit", "probeops_schema_history_schema"], await project.TablesAsync());
        Assert.Null(await project.ScalarAsync<string>("SELECT nspname::text FROM pg_namespace WHERE nspname = 'side'"));
        Assert.Null(await project.ScalarAsync<string>("SELECT to_regprocedure('public.later_fn()')::text"));
        Assert.Null(await project.ScalarAsync<string>("SELECT to_regclass('public.orders_account')::text"));
        Assert.Equal("at backup", await project.ScalarAsync<string>("SELECT name FROM accounts"));
        Assert.Equal(["20250101_accounts", "20250102_orders"], await project.HistoryAsync());

        // Every row from before the restore, ids and all, then the restore's own; new rows carry on after it.
        var auditAfter = (await project.ScalarAsync<string>(AuditRows))!;
        Assert.StartsWith(auditBefore + ",", auditAfter, StringComparison.Ordinal);
        Assert.EndsWith(":restore:succeeded", auditAfter, StringComparison.Ordinal);
        Assert.Equal(auditBefore.Split(',').Length + 1, auditAfter.Split(',').Length);
        Assert.Equal(0, (await project.RunAsync("stamp", "20250102_orders")).ExitCode);
        Assert.EndsWith(":stamp:succeeded", (await project.ScalarAsync<string>(AuditRows))!, StringComparison.Ordinal);
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Restore_says_the_schema_matches_the_backup()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy")).ExitCode);
        var backup = Assert.Single(project.Backups());
        await project.ExecAsync("CREATE TABLE made_later (id int);");

        var restore = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("Schema matches the backup.", restore.Stdout);
        Assert.False(await project.TableExistsAsync("made_later"));
    }

    [Fact]
    public async Task Restore_exits_9_naming_each_difference_from_the_schema_recorded_beside_the_backup()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 2);
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup")).ExitCode);
        var older = JsonDocument.Parse((await project.RunAsync("backup", "--json")).Stdout).RootElement.GetProperty("path").GetString()!;
        project.WriteMigration(DeployProject.Chain[2].Name, DeployProject.Chain[2].Text);
        // A plain CREATE INDEX on the existing orders table is a lint error; the table is a test's few rows.
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup", "--allow-lint-errors")).ExitCode);
        var newer = JsonDocument.Parse((await project.RunAsync("backup", "--json", "--output", "newer.dump")).Stdout).RootElement.GetProperty("path").GetString()!;

        // The older backup, with the newer schema recorded beside it: the index is then missing after the restore.
        File.Copy(Path.ChangeExtension(newer, ".schema.json"), Path.ChangeExtension(older, ".schema.json"), overwrite: true);
        var restore = await project.RunAsync("restore", older, "--confirm", project.Database.Name);

        Assert.True(restore.ExitCode == 9, restore.ToString());
        Assert.Contains("schema differs from the backup in 1 difference", restore.Stderr);
        Assert.Contains("orders_account", restore.Stderr);
        Assert.Equal(
            "restore:failed",
            await project.ScalarAsync<string>("SELECT operation || ':' || outcome FROM probeops_schema_history_audit ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task A_restore_that_fails_part_way_changes_nothing()
    {
        await using var project = await DeployProject.CreateAsync();
        Assert.Equal(0, (await project.RunAsync("deploy", "--no-backup")).ExitCode);
        var role = "probeops_gone_" + Guid.NewGuid().ToString("N")[..8];
        await project.ExecAsync($"CREATE ROLE {role}; GRANT SELECT ON accounts TO {role}; INSERT INTO accounts VALUES (1, 'at backup');");
        var backup = JsonDocument.Parse((await project.RunAsync("backup", "--json")).Stdout).RootElement.GetProperty("path").GetString()!;

        // The backup grants to a role that no longer exists: its restore fails near its end.
        await project.ExecAsync($"REVOKE ALL ON accounts FROM {role}; DROP ROLE {role}; CREATE TABLE made_later (id int); UPDATE accounts SET name = 'now';");
        var auditBefore = (await project.ScalarAsync<string>(AuditRows))!;

        var restore = await project.RunAsync("restore", backup, "--confirm", project.Database.Name);

        Assert.True(restore.ExitCode == 6, restore.ToString());
        Assert.Contains(role, restore.Stderr);
        Assert.Contains("the database is unchanged", restore.Stderr);
        Assert.True(await project.TableExistsAsync("made_later"));
        Assert.Equal("now", await project.ScalarAsync<string>("SELECT name FROM accounts"));
        Assert.Equal(3, (await project.HistoryAsync()).Count);
        var auditAfter = (await project.ScalarAsync<string>(AuditRows))!;
        Assert.StartsWith(auditBefore + ",", auditAfter, StringComparison.Ordinal);
        Assert.EndsWith(":restore:failed", auditAfter, StringComparison.Ordinal);
    }
}
