using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>
/// An audit table made before the <c>environment</c> column gets it in place, keeping every row, on PostgreSQL
/// and SQLite; a backup of such a table restores with every audit row, whichever side is older.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AuditEnvironmentColumnTests
{
    private const string Rows = "SELECT {0}(operation || ':' || coalesce(environment, '-'), ','{1}) FROM probeops_schema_history_audit";

    public static TheoryData<string> Environments => new() { "production", "development" };

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task An_old_audit_table_gains_the_column_in_place_and_a_restore_of_its_backup_keeps_every_row(string environment)
    {
        await using var project = await EnvironmentProject.CreateAsync();
        var postgres = environment == "production";
        Task<string?> Query(string sql) => postgres
            ? project.ScalarAsync(project.Production, string.Format(null, sql, "string_agg", " ORDER BY id"))
            : project.SqliteScalarAsync(string.Format(null, sql, "group_concat", ""));
        Assert.Equal(0, (await project.RunAsync("upgrade", "--env", environment)).ExitCode);
        var dropColumn = "ALTER TABLE probeops_schema_history_audit DROP COLUMN environment";
        if (postgres)
        {
            await project.ExecAsync(project.Production, dropColumn);
        }
        else
        {
            await project.SqliteScalarAsync(dropColumn);
        }

        var backup = await project.RunAsync("backup", "--env", environment, "--json");
        Assert.True(backup.ExitCode == 0, backup.ToString());
        project.AddSecondMigration();

        var upgrade = await project.RunAsync("upgrade", "--env", environment);

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal($"upgrade:-,upgrade:{environment}", await Query(Rows));

        var path = JsonDocument.Parse(backup.Stdout).RootElement.GetProperty("path").GetString()!;
        var database = postgres ? project.Production.Name : Path.GetFileName(project.DevelopmentFile);
        var restore = await project.RunAsync("restore", path, "--confirm", database, "--env", environment);

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal($"upgrade:-,upgrade:{environment},restore:{environment}", await Query(Rows));
        Assert.Equal(EnvironmentProject.First, await Query("SELECT {0}(revision, ','{1}) FROM probeops_schema_history".Replace("{1}", postgres ? " ORDER BY revision" : "", StringComparison.Ordinal)));
        project.AssertNoPasswordLeaked();
    }
}
