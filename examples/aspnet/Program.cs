using ProbeOps.Migrate;

// A minimal ASP.NET app that migrates its database before it serves traffic and reports the database's health.
//   ConnectionStrings__Database   postgres://app@db/app, Host=...;Database=..., or sqlite:PATH (default sqlite:example.db)
//   Migrations__OnStartup         Apply (default), Verify (refuse to start unless up to date), or Off (the bare app)
var builder = WebApplication.CreateBuilder(args);
var database = builder.Configuration.GetConnectionString("Database") ?? "sqlite:example.db";
var onStartup = builder.Configuration["Migrations:OnStartup"] ?? nameof(StartupPolicy.Apply);

// A refused start is logged once, as one line, by the start-up service; the host would log it again with a stack trace.
builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

var health = builder.Services.AddHealthChecks();
if (!string.Equals(onStartup, "Off", StringComparison.OrdinalIgnoreCase))
{
    builder.Services
        .AddProbeOpsMigrate(o => UseDatabase(o, database).FromEmbeddedResources(typeof(Program).Assembly))
        .OnStartup(Enum.Parse<StartupPolicy>(onStartup, ignoreCase: true));
    health.AddProbeOpsMigrate();
}

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/", () => "ProbeOps example");

try
{
    await app.RunAsync();
    return 0;
}
catch (MigrateException e)
{
    // The start-up policy refused to start, or the migration failed: one line, and the tool's exit code.
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return (int)e.Kind;
}

static MigratorOptions UseDatabase(MigratorOptions options, string database) =>
    database.StartsWith("sqlite:", StringComparison.Ordinal) ? options.UseSqlite(database) : options.UsePostgreSql(database);
