using Npgsql;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Hosting;

/// <summary>The ASP.NET example as replicas run it: processes starting together against one PostgreSQL database.</summary>
public sealed class ExampleAppTests
{
    private static readonly string[] Revisions = ["20250101_create_probes", "20250102_seed_default_probe"];

    [Fact]
    public async Task Two_instances_starting_at_once_apply_each_migration_once_and_both_serve_health()
    {
        await using var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var first = ExampleApp.Start(database.Url);
        await using var second = ExampleApp.Start(database.Url);

        var addresses = await Task.WhenAll(first.ListeningAsync(), second.ListeningAsync());
        using var http = new HttpClient();
        foreach (var address in addresses)
        {
            using var response = await http.GetAsync(new Uri(address, "/health"));
            Assert.True(response.IsSuccessStatusCode, $"{address}/health: {(int)response.StatusCode}\n{first.Output}\n{second.Output}");
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }

        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(database);
        foreach (var revision in Revisions)
        {
            Assert.Equal(1L, await ScalarAsync(connection, $"SELECT count(*) FROM probeops_schema_history WHERE revision = '{revision}'"));
        }

        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM probes"));
        var applied = $"{first.Output}\n{second.Output}";
        Assert.Single(AllIndexesOf(applied, "Upgrade 20250102_seed_default_probe done in"));
    }

    [Fact]
    public async Task An_instance_that_only_verifies_refuses_to_start_on_pending_migrations_with_one_line()
    {
        await using var database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var app = ExampleApp.Start(database.Url, onStartup: "Verify");

        var exitCode = await app.ExitCodeAsync();

        Assert.Equal((int)FailureKind.InvalidMigrations, exitCode);
        Assert.Contains("error: ", app.Output, StringComparison.Ordinal);
        Assert.Contains("2 pending", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(database.Url, app.Output, StringComparison.Ordinal);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static IEnumerable<int> AllIndexesOf(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
