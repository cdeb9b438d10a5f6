using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Environments;

/// <summary>The config <c>init</c> writes: development on SQLite, staging and production disabled until their <c>//</c> is removed.</summary>
public sealed class InitEnvironmentsCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Init_scaffolds_development_and_disabled_staging_and_production_entries()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(_dir.Path, "init")).ExitCode);
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id INTEGER);"));

        var development = await CliProcess.RunAsync(_dir.Path, "upgrade", "--env", "development");
        var disabled = await CliProcess.RunAsync(_dir.Path, "status", "--env", "staging");
        var config = _dir.Combine("probeops-migrate.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"//production\"", "\"production\"", StringComparison.Ordinal));
        var enabled = await CliProcess.RunAsync(_dir.Path, new Dictionary<string, string?> { ["PROD_DB_PASSWORD"] = null }, "status", "--env", "production");

        Assert.True(development.ExitCode == 0, development.ToString());
        Assert.True(File.Exists(_dir.Combine("app.db")));
        Assert.Equal(2, disabled.ExitCode);
        Assert.Contains("the environments in " + config + " are development.", disabled.Stderr);
        Assert.Equal(2, enabled.ExitCode);
        Assert.Contains("environment variable PROD_DB_PASSWORD is not set", enabled.Stderr);
    }
}
