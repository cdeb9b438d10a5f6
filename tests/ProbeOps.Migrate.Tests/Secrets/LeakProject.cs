using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Deploy;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>
/// A project directory, a database of its own on the test cluster and a login role whose password a
/// test sets to each generated marker, plus a backup to restore: every database command can run.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LeakProject : IAsyncDisposable
{
    private LeakProject(TestDatabase database, string role)
    {
        Database = database;
        Role = role;
    }

    public TempDirectory Dir { get; } = new();

    public TestDatabase Database { get; }

    public string Role { get; }

    public string SeedBackup => Dir.Combine("seed.dump");

    public SettingTarget Target
    {
        get
        {
            var admin = new NpgsqlConnectionStringBuilder(PostgresServer.Shared.AdminTarget.ConnectionString);
            return new SettingTarget(admin.Port, Database.Name, Role, Dir.Combine("sqlite"));
        }
    }

    /// <summary>The commands the property runs, each with the arguments it needs besides the settings.</summary>
    public IReadOnlyDictionary<string, string[]> Commands => new Dictionary<string, string[]>
    {
        ["validate"] = ["validate"],
        ["current"] = ["current"],
        ["status"] = ["status"],
        ["upgrade"] = ["upgrade"],
        ["downgrade"] = ["downgrade", "base"],
        ["stamp"] = ["stamp", "head"],
        ["drift"] = ["drift"],
        ["preflight"] = ["preflight"],
        ["deploy"] = ["deploy", "--stamp-unversioned", "head"],
        ["backup"] = ["backup"],
        ["restore"] = ["restore", SeedBackup, "--confirm", Database.Name],
        ["reset"] = ["reset", "--confirm", Database.Name],
    };

    public static async Task<LeakProject> CreateAsync()
    {
        var role = "probeops_leak_" + Guid.NewGuid().ToString("N")[..12];
        var project = new LeakProject(await PostgresServer.Shared.CreateDatabaseAsync(), role);
        await project.ExecAsync($"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD 'not-the-marker'");
        foreach (var (name, text) in DeployProject.Chain)
        {
            project.Dir.Write("migrations/" + name, text);
        }

        Directory.CreateDirectory(project.Target.SqliteDirectory);
        var seed = await InProcessCli.RunAsync(project.Dir.Path, [.. project.Settings(project.Database.Url), "backup", "--output", project.SeedBackup]);
        Assert.True(seed.ExitCode == 0, seed.ToString());
        return project;
    }

    /// <summary>The command line of one command against <paramref name="setting"/>.</summary>
    public string[] Args(string command, string setting, bool json) =>
        [.. Commands[command], .. Settings(setting), .. json ? new[] { "--json" } : []];

    public Task SetPasswordAsync(string password) =>
        ExecAsync($"ALTER ROLE {Role} PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await using var connection = new NpgsqlConnection(PostgresServer.Shared.AdminTarget.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {PostgreSqlSyntax.QuoteIdentifier(Role)}", connection);
        await drop.ExecuteNonQueryAsync();
        Dir.Dispose();
    }

    private string[] Settings(string setting) =>
    [
        "--database", setting, "--migrations", Dir.Combine("migrations"),
        "--log-dir", Dir.Combine("deployment_logs"), "--backup-dir", Dir.Combine("backups"),
    ];

    private async Task ExecAsync(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(Database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
