using ProbeOps.Migrate.Cli;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>
/// The command-line application run inside the test process, as Program.cs wires it but with captured
/// writers and no environment: the same code path as the executable, fast enough for many random cases.
/// </summary>
public static class InProcessCli
{
    public static async Task<CliOutput> RunAsync(string workingDirectory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var providers = new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]);
        var context = new CliContext(new CliConsole(output, error, TextReader.Null, isTerminal: false), _ => null, workingDirectory, TimeProvider.System, providers);
        var exit = await CliApp.RunAsync(context, args);
        return new CliOutput(exit, output.ToString(), error.ToString());
    }
}
