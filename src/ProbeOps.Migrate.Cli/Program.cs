using ProbeOps.Migrate.Cli;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Providers.Sqlite;

// The composition root: real console, real clock, the built-in providers.
await using var providers = new ProviderRegistry([new PostgreSqlProvider(), new SqliteProvider()]);
var context = new CliContext(CliConsole.System(), Environment.GetEnvironmentVariable, Environment.CurrentDirectory, TimeProvider.System, providers);
return await CliApp.RunAsync(context, args);
