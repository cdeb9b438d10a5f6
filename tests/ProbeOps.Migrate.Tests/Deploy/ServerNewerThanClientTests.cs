using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>A real version mismatch: a PostgreSQL 18 server and the test run's PostgreSQL 15 client tools.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ServerNewerThanClientTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Deploy_to_PostgreSQL_18_with_version_15_pg_dump_exits_5_and_changes_nothing()
    {
        var bin = Environment.GetEnvironmentVariable(Pg18Cluster.BinVariable);
        Assert.False(string.IsNullOrWhiteSpace(bin), Pg18Cluster.MissingMessage);
        var clientBin = PostgresServer.Shared.BinDirectory;
        Assert.False(string.IsNullOrWhiteSpace(clientBin), "PROBEOPS_TEST_PG_BIN is not set: run scripts/test.sh");

        await using var cluster = await Pg18Cluster.StartAsync(bin);
        await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=postgres;Pooling=false"))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE probeops_app", admin);
            await create.ExecuteNonQueryAsync();
        }

        foreach (var (name, text) in DeployProject.Chain)
        {
            _dir.Write("migrations/" + name, text);
        }

        // The version 15 client tools come first on PATH, as on a host that has only postgresql-client-15.
        var environment = new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = cluster.Url("probeops_app"),
            ["PATH"] = clientBin + ":" + Environment.GetEnvironmentVariable("PATH"),
        };
        var output = await CliProcess.RunAsync(_dir.Path, environment, "deploy");

        Assert.True(output.ExitCode == 5, output.ToString());
        Assert.Matches(@"pg_dump 15\.\d+ cannot back up PostgreSQL 18\.\d+", output.Stderr);
        Assert.Contains("postgresql-client-18", output.Stderr);
        Assert.Contains("--pg-bin-dir", output.Stderr);
        Assert.False(Directory.Exists(_dir.Combine("backups")));

        await using var check = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Port};Username=postgres;Database=probeops_app;Pooling=false");
        await check.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace", check);
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync())!);
        await using var version = new NpgsqlCommand("SELECT current_setting('server_version_num')::int / 10000", check);
        Assert.Equal(18, (int)(await version.ExecuteScalarAsync())!);
    }
}
