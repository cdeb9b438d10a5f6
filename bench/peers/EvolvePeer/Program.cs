using EvolveDb;
using EvolveDb.Configuration;
using Npgsql;

// Evolve applying a directory of V<n>__<name>.sql files, as a user's small console app would.
//   evolve-peer migrate|info DIR [commit-each|commit-all]
// The connection string (Npgsql keywords) comes from EVOLVE_PEER_CONNECTION, so no password is on a command line.
if (args.Length is < 2 or > 3 || args[0] is not ("migrate" or "info"))
{
    Console.Error.WriteLine("usage: evolve-peer migrate|info DIR [commit-each|commit-all]");
    return 2;
}

var connectionString = Environment.GetEnvironmentVariable("EVOLVE_PEER_CONNECTION");
if (string.IsNullOrEmpty(connectionString))
{
    Console.Error.WriteLine("evolve-peer: set EVOLVE_PEER_CONNECTION");
    return 2;
}

var mode = args.Length == 3 ? args[2] : "commit-each";
using var connection = new NpgsqlConnection(connectionString);
var evolve = new Evolve(connection, _ => { })
{
    Locations = [args[1]],
    IsEraseDisabled = true,
    TransactionMode = mode == "commit-all" ? TransactionKind.CommitAll : TransactionKind.CommitEach,
};

try
{
    if (args[0] == "migrate")
    {
        evolve.Migrate();
        Console.WriteLine($"evolve-peer: {evolve.NbMigration} migration(s) applied");
    }
    else
    {
        var count = evolve.Info().Count();
        Console.WriteLine($"evolve-peer: {count} migration(s) known");
    }

    return 0;
}
catch (EvolveException e)
{
    Console.Error.WriteLine($"evolve-peer: {e.Message} {e.InnerException?.Message}");
    return 1;
}
