using System.Runtime.Versioning;
using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary>
/// A <c>transaction:false</c> section that fails part-way, on real PostgreSQL through the real process: the
/// message says exactly what ran, the audit log records it, <c>status</c> shows it and a rerun runs the section again.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PartialSectionCliTests
{
    private const string Revision = "20250102_concurrent";

    /// <summary>A base table, then a non-transactional section whose second of three statements needs a table that is missing.</summary>
    private static async Task<DeployProject> CreateAsync()
    {
        var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_items.sql", MigrationText.File(null, "CREATE TABLE items (id int, name text);"));
        project.WriteMigration(Revision + ".sql", MigrationText.File("20250101_items",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name);\nINSERT INTO needed (id) VALUES (1) ON CONFLICT DO NOTHING;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_id ON items (id);",
            transactional: false));
        return project;
    }

    [Fact]
    public async Task A_failed_statement_in_a_non_transactional_section_says_exactly_what_ran_and_the_audit_log_records_it()
    {
        await using var project = await CreateAsync();

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 8, output.ToString());
        Assert.Contains($"statement 1 of 3 of {Revision} ran outside a transaction and stays committed, statement 2 failed, statement 3 did not run", output.Stderr);
        Assert.Contains($"the next upgrade runs {Revision}'s section again from its first statement", output.Stderr);
        Assert.DoesNotContain("nothing else was applied", output.Stderr);
        Assert.Equal("items_name", await project.ScalarAsync<string>("SELECT indexname::text FROM pg_indexes WHERE indexname = 'items_name'"));
        Assert.Null(await project.ScalarAsync<string>("SELECT indexname::text FROM pg_indexes WHERE indexname = 'items_id'"));
        Assert.Equal(["20250101_items"], await project.HistoryAsync());
        Assert.Equal(
            $"upgrade|partial|{Revision}|statement 1 of 3 of {Revision} ran outside a transaction and stays committed, statement 2 failed, statement 3 did not run",
            await project.ScalarAsync<string>("SELECT operation || '|' || outcome || '|' || revisions || '|' || detail FROM probeops_schema_history_audit WHERE outcome = 'partial'"));
    }

    [Fact]
    public async Task Status_shows_the_partial_section_until_a_rerun_completes_it()
    {
        await using var project = await CreateAsync();
        Assert.Equal(8, (await project.RunAsync("upgrade")).ExitCode);

        var status = await project.RunAsync("status");
        var json = JsonDocument.Parse((await project.RunAsync("status", "--json")).Stdout).RootElement;

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"PARTIAL  {Revision}", status.Stdout);
        Assert.Contains("statement 2 failed", status.Stdout);
        Assert.DoesNotContain("Up to date.", status.Stdout);
        var partial = Assert.Single(json.GetProperty("partial").EnumerateArray());
        Assert.Equal(Revision, partial.GetProperty("revision").GetString());
        Assert.Equal("upgrade", partial.GetProperty("operation").GetString());

        // The section's statements are written to run again; the rerun starts from the first one.
        await project.ExecAsync("CREATE TABLE needed (id int PRIMARY KEY)");
        var rerun = await project.RunAsync("upgrade");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal("items_id", await project.ScalarAsync<string>("SELECT indexname::text FROM pg_indexes WHERE indexname = 'items_id'"));
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM needed"));
        var after = await project.RunAsync("status", "--json");
        Assert.Empty(JsonDocument.Parse(after.Stdout).RootElement.GetProperty("partial").EnumerateArray());
        Assert.Contains("Up to date.", (await project.RunAsync("status")).Stdout);
    }

    [Fact]
    public async Task A_deploy_reports_the_real_transaction_grouping()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_items.sql", MigrationText.File(null, "CREATE TABLE items (id int, name text);"));
        project.WriteMigration(Revision + ".sql", MigrationText.File(
            "20250101_items", "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name);", transactional: false));
        project.WriteMigration("20250103_more.sql", MigrationText.File(Revision, "ALTER TABLE items ADD COLUMN extra text;"));

        var output = await project.RunAsync("deploy", "--no-backup");

        Assert.True(output.ExitCode == 0, output.ToString());
        var report = JsonDocument.Parse(File.ReadAllText(Assert.Single(project.Logs(".json")))).RootElement;
        var apply = report.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "apply");
        Assert.Equal("3 applied (2 transactions, 1 outside a transaction)", apply.GetProperty("detail").GetString());
    }
}
