using System.Diagnostics;
using System.Runtime.Versioning;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary><c>COPY ... FROM STDIN</c> with its data inline, run on real PostgreSQL through the real process.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CopyFromStdinCliTests
{
    private const string TiersTable = "CREATE TABLE tiers (name text PRIMARY KEY, max_probes int);";

    private static string Copy(params string[] rows) =>
        "COPY tiers (name, max_probes) FROM stdin;\n" + string.Join("", rows.Select(r => r + "\n")) + "\\.";

    [Fact]
    public async Task Upgrade_loads_the_inline_data_of_copy_from_stdin()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_tiers.sql", MigrationText.File(null,
            $"{TiersTable}\n{Copy("free\t5", "semi;colon\t7", "it's\t\\N")}\nCREATE INDEX tiers_probes ON tiers (max_probes);"));

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(3L, await project.ScalarAsync<long>("SELECT count(*) FROM tiers"));
        Assert.Equal(7, await project.ScalarAsync<int>("SELECT max_probes FROM tiers WHERE name = 'semi;colon'"));
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM tiers WHERE name = 'it''s' AND max_probes IS NULL"));
        Assert.Equal("tiers_probes", await project.ScalarAsync<string>("SELECT indexname::text FROM pg_indexes WHERE indexname = 'tiers_probes'"));
        Assert.Equal(["20250101_tiers"], await project.HistoryAsync());
    }

    [Fact]
    public async Task Copied_rows_are_rolled_back_with_the_run_when_a_later_migration_fails()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_tiers.sql", MigrationText.File(null, TiersTable));
        Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);
        project.WriteMigration("20250102_seed.sql", MigrationText.File("20250101_tiers", Copy("free\t5", "pro\t50")));
        project.WriteMigration("20250103_broken.sql", MigrationText.File("20250102_seed", "SELECT 1 / 0;"));

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 8, output.ToString());
        Assert.Contains("20250103_broken.sql", output.Stderr);
        Assert.Equal(0L, await project.ScalarAsync<long>("SELECT count(*) FROM tiers"));
        Assert.Equal(["20250101_tiers"], await project.HistoryAsync());
    }

    [Fact]
    public async Task Bad_copy_data_fails_with_exit_8_at_the_copy_and_changes_nothing()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_tiers.sql", MigrationText.File(null, $"{TiersTable}\n{Copy("free\tfive")}"));

        var output = await project.RunAsync("upgrade");

        Assert.True(output.ExitCode == 8, output.ToString());
        Assert.Contains("20250101_tiers.sql:5", output.Stderr);
        Assert.Contains("22P02", output.Stderr);
        Assert.DoesNotContain("   at ", output.All);
        Assert.False(await project.TableExistsAsync("tiers"));
    }

    [Fact]
    public async Task Upgrade_sql_prints_the_data_and_its_closing_line_so_psql_loads_the_same_rows()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        project.WriteMigration("20250101_tiers.sql", MigrationText.File(null, $"{TiersTable}\n{Copy("free\t5", "pro\t50")}\nSELECT 1;"));

        var output = await project.RunAsync("upgrade", "--sql");

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("COPY tiers (name, max_probes) FROM stdin;\nfree\t5\npro\t50\n\\.\nSELECT 1;", output.Stdout);
        var psql = Path.Combine(PostgresServer.Shared.BinDirectory ?? throw new InvalidOperationException("PROBEOPS_TEST_PG_BIN is not set"), "psql");
        var info = new ProcessStartInfo(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", project.Database.Url])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(output.Stdout);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Equal(2L, await project.ScalarAsync<long>("SELECT count(*) FROM tiers"));
    }
}
