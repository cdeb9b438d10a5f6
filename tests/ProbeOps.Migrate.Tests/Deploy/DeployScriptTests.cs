using System.Runtime.Versioning;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// scripts/deployment/*.sh and examples/probeops/deploy.sh, run by bash as a deploy would run them.
/// The example and the scripts are copied into a temporary tree of the same shape, so the backups
/// and logs they leave never land in the repository.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeployScriptTests
{
    private static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ProbeOps.Migrate.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("the repository root (ProbeOps.Migrate.slnx) was not found above the test assembly");
        }
    }

    /// <summary>Copies <c>scripts/deployment</c> and <c>examples/probeops</c> into <paramref name="root"/>, keeping modes.</summary>
    private static void CopyTree(string root)
    {
        foreach (var relative in new[] { "scripts/deployment", "examples/probeops" })
        {
            var source = Path.Combine(RepositoryRoot, relative);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var part = Path.GetRelativePath(source, file);
                if (part.StartsWith("backups", StringComparison.Ordinal) || part.StartsWith("deployment_logs", StringComparison.Ordinal) || part.EndsWith(".db", StringComparison.Ordinal))
                {
                    continue;
                }

                var target = Path.Combine(root, relative, part);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        }
    }

    /// <summary>The tool as the scripts find it: through PROBEOPS_MIGRATE.</summary>
    private static Dictionary<string, string?> ToolEnvironment() => new() { ["PROBEOPS_MIGRATE"] = CliProcess.ShellCommand };

    [Fact]
    public async Task Example_deploy_script_deploys_from_scratch_then_again_as_a_no_op()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        var example = project.Dir.Combine("examples", "probeops");
        var script = Path.Combine(example, "deploy.sh");
        var backups = Path.Combine(example, "backups");
        var logs = Path.Combine(example, "deployment_logs");

        var first = await project.RunShellAsync($"'{script}'", ToolEnvironment());

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("==> 1/4 database migrations", first.Stdout);
        Assert.Contains("Deployed 5 migrations", first.Stdout);
        Assert.Contains("deploy finished", first.Stdout);
        Assert.Equal(["20250514_create_base_schema", "20250515_add_tier_limits", "20250516_add_probe_alerts", "20250517_mark_failed_probe_results"], await project.HistoryAsync());
        Assert.Contains("> 2000", await project.ScalarAsync<string>("SELECT pg_get_viewdef('v_probe_health')"));
        var backup = Assert.Single(Directory.GetFiles(backups, "*.dump"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
        Assert.Equal(
            await BackupService.Sha256Async(backup, CancellationToken.None),
            File.ReadAllText(backup + BackupService.ChecksumExtension).Split(' ')[0]);
        Assert.Contains("verified", File.ReadAllText(Assert.Single(Directory.GetFiles(logs, "*.log"))));

        var second = await project.RunShellAsync($"'{script}'", ToolEnvironment());

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Nothing to deploy", second.Stdout);
        Assert.Contains("deploy finished", second.Stdout);
        Assert.Single(Directory.GetFiles(backups, "*.dump"));
        Assert.Equal(2, Directory.GetFiles(logs, "*.log").Length);
        Assert.Equal(2, Directory.GetFiles(logs, "*.json").Length);
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Example_deploy_script_falls_back_to_the_config_sqlite_database()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        var example = project.Dir.Combine("examples", "probeops");
        var environment = ToolEnvironment();
        environment["DATABASE_URL"] = null;

        var output = await project.RunShellAsync($"'{Path.Combine(example, "deploy.sh")}'", environment);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Contains("DATABASE_URL is not set", output.Stdout);
        Assert.True(File.Exists(Path.Combine(example, "probeops.db")));
        Assert.Empty(await project.TablesAsync());
    }

    [Fact]
    public async Task Example_deploy_takes_the_environment_from_PROBEOPS_ENV_and_production_refuses_no_backup()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        var script = project.Dir.Combine("examples", "probeops", "deploy.sh");
        var environment = ToolEnvironment();
        environment["PROBEOPS_ENV"] = "production";

        var refused = await project.RunShellAsync($"'{script}' --no-backup", environment);
        var staging = await project.RunShellAsync($"'{script}'", new Dictionary<string, string?>(environment) { ["PROBEOPS_ENV"] = "staging" });

        Assert.True(refused.ExitCode == 10, refused.ToString());
        Assert.Contains("deploying environment production", refused.Stdout);
        Assert.Contains("--no-backup is refused in the protected environment production", refused.Stderr);
        Assert.Contains("stopping the deploy (environment production)", refused.Stderr);
        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.Equal(["20250514_create_base_schema", "20250515_add_tier_limits", "20250516_add_probe_alerts", "20250517_mark_failed_probe_results"], await project.HistoryAsync());
        Assert.Equal("staging", await project.ScalarAsync<string>("SELECT string_agg(DISTINCT environment, ',') FROM probeops_schema_history_audit"));
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Example_deploy_stops_when_the_database_step_fails()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        await project.ExecAsync("CREATE TABLE legacy (id int)");
        var script = project.Dir.Combine("examples", "probeops", "deploy.sh");

        var output = await project.RunShellAsync($"'{script}'", ToolEnvironment());

        Assert.True(output.ExitCode == 10, output.ToString());
        Assert.Contains("database migration failed (exit 10): stopping the deploy", output.Stderr);
        Assert.DoesNotContain("==> 2/4", output.Stdout);
        Assert.Equal(["legacy"], await project.TablesAsync());
    }

    [Fact]
    public async Task Safe_deploy_passes_a_broken_migrations_directory_through_as_exit_3()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        project.WriteMigration("20250101_base.sql", "-- down_revison: none\n\n-- migrate:upgrade\nSELECT 1;\n");
        var script = project.Dir.Combine("scripts", "deployment", "safe_deploy_db.sh");

        var output = await project.RunShellAsync($"'{script}'", ToolEnvironment());

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("safe_deploy_db.sh: deploy exited 3: migration files, graph or history invalid", output.Stderr);
        Assert.Empty(await project.TablesAsync());
    }

    [Fact]
    public async Task Safe_deploy_passes_exit_10_through_and_extra_arguments_to_deploy()
    {
        await using var project = await DeployProject.CreateAsync();
        CopyTree(project.Dir.Path);
        await project.ExecAsync("CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL)");
        var script = project.Dir.Combine("scripts", "deployment", "safe_deploy_db.sh");

        var refused = await project.RunShellAsync($"'{script}'", ToolEnvironment());
        var stamped = await project.RunShellAsync($"'{script}' --stamp-unversioned base", ToolEnvironment());

        Assert.True(refused.ExitCode == 10, refused.ToString());
        Assert.Contains("safe_deploy_db.sh: deploy exited 10: confirmation required or declined", refused.Stderr);
        Assert.True(stamped.ExitCode == 0, stamped.ToString());
        Assert.Equal(3, (await project.HistoryAsync()).Count);
        project.AssertNoPasswordLeaked();
    }

    [Fact]
    public async Task Migration_hook_stops_with_the_same_code()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 0);
        CopyTree(project.Dir.Path);
        var hook = project.Dir.Combine("scripts", "deployment", "db_migration_deploy.sh");
        var environment = ToolEnvironment();
        environment["PROBEOPS_MIGRATIONS"] = project.Dir.Combine("no-such-directory");

        var output = await project.RunShellAsync($"set -e; '{hook}'; echo SHOULD-NOT-PRINT", environment);

        Assert.NotEqual(0, output.ExitCode);
        Assert.Contains($"database migration failed (exit {output.ExitCode}): stopping the deploy", output.Stderr);
        Assert.DoesNotContain("SHOULD-NOT-PRINT", output.Stdout);
    }
}
