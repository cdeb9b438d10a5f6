using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// <c>amend REV --reason TEXT</c> accepts an edited applied migration: afterwards neither <c>status</c> nor
/// <c>deploy</c> reports the edit, and the audit log holds both checksums, who and why.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AmendCliTests
{
    private const string Reason = "comment added after review";

    [Fact]
    public async Task Amend_on_postgresql_records_the_edit_and_its_reason()
    {
        await using var project = await DeployProject.CreateAsync(migrations: 3);

        var audit = await RunScenarioAsync(
            args => project.RunAsync(args),
            (name, text) => project.WriteMigration(name, text),
            async () => (await project.ScalarAsync<string>("SELECT detail || ' by ' || applied_by FROM probeops_schema_history_audit WHERE operation = 'amend'"))!);

        Assert.Contains(" by ", audit);
    }

    [Fact]
    public async Task Amend_on_sqlite_records_the_edit_and_its_reason()
    {
        using var dir = new TempDirectory();
        foreach (var (name, text) in DeployProject.Chain)
        {
            dir.Write("migrations/" + name, text);
        }

        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "sqlite:app.db" };
        var audit = await RunScenarioAsync(
            args => CliProcess.RunAsync(dir.Path, env, args),
            (name, text) => dir.Write("migrations/" + name, text),
            async () =>
            {
                await using var connection = new SqliteConnection($"Data Source={dir.Combine("app.db")};Pooling=False");
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT detail || ' by ' || applied_by FROM probeops_schema_history_audit WHERE operation = 'amend'";
                return (string)(await command.ExecuteScalarAsync())!;
            });

        Assert.Contains(" by ", audit);
    }

    /// <summary>Applies two of three revisions, edits the first, amends it; returns the amend's audit row.</summary>
    private static async Task<string> RunScenarioAsync(Func<string[], Task<CliOutput>> run, Action<string, string> write, Func<Task<string>> auditRow)
    {
        Assert.Equal(0, (await run(["upgrade", "20250102_orders"])).ExitCode);
        write("20250101_accounts.sql", DeployProject.Chain[0].Text.Replace("NOT NULL);", "NOT NULL); -- names are required", StringComparison.Ordinal));
        var edited = JsonDocument.Parse((await run(["status", "--json"])).Stdout).RootElement.GetProperty("edited")[0];
        var recorded = edited.GetProperty("recordedChecksum").GetString()!;
        var current = edited.GetProperty("currentChecksum").GetString()!;

        var deployBefore = await run(["deploy", "--no-backup"]);
        var noReason = await run(["amend", "20250101_accounts"]);
        var unknown = await run(["amend", "20259999_nothing", "--reason", Reason]);
        var notApplied = await run(["amend", "20250103", "--reason", Reason]);
        var amend = await run(["amend", "20250101", "--reason", Reason]);
        var deployAfter = await run(["deploy", "--no-backup"]);
        var check = await run(["status", "--check"]);

        Assert.True(deployBefore.ExitCode == 3, deployBefore.ToString());
        Assert.True(noReason.ExitCode == 2, noReason.ToString());
        Assert.Contains("--reason", noReason.Stderr);
        Assert.True(unknown.ExitCode == 3, unknown.ToString());
        Assert.True(notApplied.ExitCode == 3, notApplied.ToString());
        Assert.Contains("not applied", notApplied.Stderr);
        Assert.True(amend.ExitCode == 0, amend.ToString());
        Assert.Contains("old text unknown", amend.Stdout);
        Assert.Contains("-- names are required", amend.Stdout);
        Assert.True(deployAfter.ExitCode == 0, deployAfter.ToString());
        Assert.True(check.ExitCode == 0, check.ToString());
        var audit = await auditRow();
        Assert.Contains($"checksum {recorded} -> {current}", audit);
        Assert.Contains($"reason: {Reason}", audit);
        return audit;
    }
}
