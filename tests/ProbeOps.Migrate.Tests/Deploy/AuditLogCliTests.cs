using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>The audit log is never lost: names PostgreSQL would truncate are refused, and a run whose connection dies still leaves its row.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AuditLogCliTests
{
    /// <summary>A PostgreSQL URL where nothing listens: a command that tried to connect would exit 4.</summary>
    private const string Unreachable = "postgres://probe:secret@127.0.0.1:1/app";

    private const string Marker = "probeops_terminate_me";

    public static TheoryData<string, string> TooLongNames => new()
    {
        { new string('h', 63), Unreachable },
        { new string('h', 53), Unreachable },
        { new string('é', 27), Unreachable },
        { new string('h', 53), "sqlite:app.db" },
    };

    [Theory]
    [MemberData(nameof(TooLongNames))]
    public async Task A_history_table_whose_longest_table_beside_it_passes_63_bytes_is_a_usage_error_before_connecting(string name, string database)
    {
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));

        var output = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = database }, "upgrade", "--history-table", name);

        Assert.True(output.ExitCode == 2, output.ToString());
        var line = Assert.Single(output.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{name}_repeatable", line);
        Assert.Contains("63-byte", line);
        Assert.False(File.Exists(dir.Combine("app.db")));
    }

    [Fact]
    public async Task A_history_table_of_52_bytes_gets_its_audit_rows_on_postgresql()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 1);
        var name = "h" + new string('x', 51);

        var output = await project.RunAsync("upgrade", "--history-table", name);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(1L, await project.ScalarAsync<long>($"SELECT count(*) FROM \"{name}_audit\" WHERE operation = 'upgrade' AND outcome = 'succeeded'"));
        Assert.Equal(1L, await project.ScalarAsync<long>($"SELECT count(*) FROM \"{name}\""));
    }

    public static TheoryData<string> Operations => new() { "upgrade", "downgrade", "deploy" };

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task A_run_whose_connection_is_terminated_mid_statement_still_leaves_its_failed_audit_row(string operation)
    {
        await using var project = await DeployProject.CreateAsync(migrations: 1);
        var sleep = $"SELECT pg_sleep(600) AS {Marker};";
        project.WriteMigration(
            "20250102_slow.sql",
            operation == "downgrade"
                ? MigrationText.File("20250101_accounts", "CREATE TABLE slow (id int);", $"DROP TABLE slow;\n{sleep}")
                : MigrationText.File("20250101_accounts", $"CREATE TABLE slow (id int);\n{sleep}", "DROP TABLE slow;"));
        if (operation == "downgrade")
        {
            Assert.Equal(0, (await project.RunAsync("upgrade")).ExitCode);
        }
        else
        {
            Assert.Equal(0, (await project.RunAsync("upgrade", "20250101_accounts")).ExitCode);
        }

        string[] args = operation switch
        {
            "downgrade" => ["downgrade", "-1", "--json"],
            "deploy" => ["deploy", "--no-backup", "--json"],
            _ => ["upgrade", "--json"],
        };
        var run = CliProcess.Start(project.Dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = project.Database.Url }, args);
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        await TerminateTheBackendRunningAsync(project.Database, Marker, run);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await run.WaitForExitAsync(timeout.Token);
        var output = new CliOutput(run.ExitCode, await stdout, await stderr);

        Assert.True(output.ExitCode == 8, output.ToString());
        var deployId = operation == "deploy"
            ? ReadJson(project.Logs(".json")[^1]).GetProperty("deployId").GetString()
            : JsonDocument.Parse(output.Stdout).RootElement.GetProperty("error").GetProperty("migration").GetProperty("deployId").GetString();
        Assert.False(string.IsNullOrEmpty(deployId));
        var auditOperation = operation == "downgrade" ? "downgrade" : "upgrade";
        Assert.Equal(
            1L,
            await project.ScalarAsync<long>(
                $"SELECT count(*) FROM probeops_schema_history_audit WHERE deploy_id = '{deployId}' AND operation = '{auditOperation}' AND outcome = 'failed'"));

        // The terminated transaction was rolled back: the history is as it was.
        Assert.Equal(operation == "downgrade" ? 2 : 1, (await project.HistoryAsync()).Count);
        Assert.Equal(operation == "downgrade", await project.TableExistsAsync("slow"));
    }

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Waits until a backend of <paramref name="run"/> runs a statement holding <paramref name="marker"/>, then terminates it.</summary>
    private static async Task TerminateTheBackendRunningAsync(TestDatabase database, string marker, System.Diagnostics.Process run)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        await using var terminate = new NpgsqlCommand(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%{marker}%'",
            connection);
        while (await terminate.ExecuteScalarAsync() is not true)
        {
            Assert.False(run.HasExited, $"the run ended before any backend ran '{marker}'");
            await Task.Delay(50);
        }
    }
}
