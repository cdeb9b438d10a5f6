using System.Diagnostics;
using System.Runtime.Versioning;
using Npgsql;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Deploy;

/// <summary>
/// A project directory with a migrations folder and a PostgreSQL database of its own, driven through
/// the real command-line tool. Every output is kept, so a test can prove that no password leaked.
/// The database URL (with its password) reaches the tool through DATABASE_URL, as in a deploy script.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DeployProject : IAsyncDisposable
{
    private readonly List<string> _outputs = [];

    private DeployProject(TestDatabase database)
    {
        Database = database;
    }

    public TempDirectory Dir { get; } = new();

    public TestDatabase Database { get; }

    public string Password => new NpgsqlConnectionStringBuilder(Database.Target.ConnectionString).Password!;

    public string BackupsDirectory => Dir.Combine("backups");

    public string LogsDirectory => Dir.Combine("deployment_logs");

    /// <summary>Three migrations: accounts, orders (referencing accounts), and an index on orders.</summary>
    public static readonly (string Name, string Text)[] Chain =
    [
        ("20250101_accounts.sql", MigrationText.File(null, "CREATE TABLE accounts (id int PRIMARY KEY, name text NOT NULL);", "DROP TABLE accounts;")),
        ("20250102_orders.sql", MigrationText.File("20250101_accounts", "CREATE TABLE orders (id int PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id));", "DROP TABLE orders;")),
        ("20250103_order_index.sql", MigrationText.File("20250102_orders", "CREATE INDEX orders_account ON orders (account_id);", "DROP INDEX orders_account;")),
    ];

    public static async Task<DeployProject> CreateAsync(int migrations = 3)
    {
        var project = new DeployProject(await PostgresServer.Shared.CreateDatabaseAsync());
        foreach (var (name, text) in Chain.Take(migrations))
        {
            project.WriteMigration(name, text);
        }

        return project;
    }

    public string WriteMigration(string name, string text) => Dir.Write("migrations/" + name, text);

    /// <summary>Runs the tool in the project directory against the project's database.</summary>
    public Task<CliOutput> RunAsync(params string[] args) => RunWithAsync(null, args);

    public async Task<CliOutput> RunWithAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var merged = new Dictionary<string, string?> { ["DATABASE_URL"] = Database.Url };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        var output = await CliProcess.RunAsync(Dir.Path, merged, args);
        _outputs.Add(output.All);
        return output;
    }

    /// <summary>Runs a shell command line (bash -c) with the tool reachable as <c>probeops-migrate</c> on PATH.</summary>
    public async Task<CliOutput> RunShellAsync(string commandLine, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory ?? Dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(commandLine);
        info.Environment.Remove("PROBEOPS_MIGRATE_CONFIG");
        info.Environment.Remove("PROBEOPS_MIGRATIONS");
        info.Environment["DATABASE_URL"] = Database.Url;
        info.Environment["PATH"] = ToolShimDirectory() + ":" + Environment.GetEnvironmentVariable("PATH");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = new CliOutput(process.ExitCode, await stdout, await stderr);
        _outputs.Add(output.All);
        return output;
    }

    /// <summary>A directory holding a <c>probeops-migrate</c> script that runs the built tool.</summary>
    public string ToolShimDirectory()
    {
        var directory = Dir.Combine(".tool");
        if (!File.Exists(Path.Combine(directory, "probeops-migrate")))
        {
            FakeClientTools.Write(directory, "probeops-migrate", $"#!/bin/sh\nexec {CliProcess.ShellCommand} \"$@\"");
        }

        return directory;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(Database);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public async Task ExecAsync(string sql)
    {
        await using var connection = await PostgresServer.Shared.OpenConnectionAsync(Database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> TableExistsAsync(string name) =>
        await ScalarAsync<string>($"SELECT to_regclass('public.{name}')::text") is not null;

    /// <summary>The revisions in the history table, in order; empty when there is no history table.</summary>
    public async Task<List<string>> HistoryAsync()
    {
        if (!await TableExistsAsync("probeops_schema_history"))
        {
            return [];
        }

        var joined = await ScalarAsync<string>("SELECT string_agg(revision, ',' ORDER BY revision) FROM probeops_schema_history");
        return joined is null ? [] : [.. joined.Split(',')];
    }

    /// <summary>The tables of the public schema, sorted.</summary>
    public async Task<List<string>> TablesAsync()
    {
        var joined = await ScalarAsync<string>("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'");
        return joined is null ? [] : [.. joined.Split(',')];
    }

    public async Task<string> ServerVersionAsync()
    {
        var version = (await ScalarAsync<string>("SHOW server_version"))!;
        var space = version.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? version[..space] : version;
    }

    /// <summary>The backups, oldest first.</summary>
    public string[] Backups() => OldestFirst(BackupsDirectory, "*.dump");

    /// <summary>The deployment logs with this extension, oldest first.</summary>
    public string[] Logs(string extension) => OldestFirst(LogsDirectory, "*" + extension);

    // File names carry whole seconds (SPEC §8) and two deploys may share one, so the names alone do not
    // sort by time: the time each file was written does.
    private static string[] OldestFirst(string directory, string pattern) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, pattern).OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal)]
            : [];

    /// <summary>Fails when the password shows in any output of this project or in any text file it left behind.</summary>
    public void AssertNoPasswordLeaked(params string[] moreDirectories)
    {
        var password = Password;
        Assert.True(password.Length >= 8, "the test server's password is too short to search for");
        foreach (var output in _outputs)
        {
            Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        }

        foreach (var directory in moreDirectories.Prepend(Dir.Path).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                if (file.EndsWith(".log", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal) ||
                    file.EndsWith(".md", StringComparison.Ordinal) || file.EndsWith(".sha256", StringComparison.Ordinal))
                {
                    Assert.False(File.ReadAllText(file).Contains(password, StringComparison.Ordinal), $"the password is in {file}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Dir.Dispose();
        await Database.DisposeAsync();
    }
}
