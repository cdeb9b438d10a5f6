using System.Reflection;
using ProbeOps.Migrate.Cli;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;

// A bare `--version` is answered before the command tree is built, with what System.CommandLine would
// print: scripts call it often and wait for it, and building the tree is most of its start-up.
if (args is ["--version"])
{
    var assembly = typeof(CliApp).Assembly;
    Console.Out.WriteLine(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString());
    return 0;
}

// The composition root: real console, real clock, the built-in providers.
var providers = new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]);
var context = new CliContext(CliConsole.System(), Environment.GetEnvironmentVariable, Environment.CurrentDirectory, TimeProvider.System, providers);
return await CliApp.RunAsync(context, args);
