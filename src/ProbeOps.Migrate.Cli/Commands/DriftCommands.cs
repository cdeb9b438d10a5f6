using System.CommandLine;
using ProbeOps.Migrate.Cli.Fleet;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Cli.Commands;

/// <summary><c>drift</c> and <c>snapshot</c>: the live schema against the schema the migrations produce.</summary>
public static class DriftCommands
{
    /// <summary>The environment variable that may hold the shadow database setting.</summary>

    public static Command Drift(CliContext context)
    {
        var options = new DriftOptionSet();
        var snapshot = new Option<string?>("--snapshot") { Description = "Compare against this snapshot file instead of replaying; it must be of the database's revisions.", HelpName = "FILE" };
        var noCache = new Option<bool>("--no-cache") { Description = "Replay the migrations even when the cache holds their schema." };
        var method = new Option<DriftMethod>("--method")
        {
            Description = "The check to make: auto (replay into a shadow database; without one, the schema recorded after the last deploy), replay (only), recorded (only).",
            HelpName = "auto|replay|recorded",
        };
        var targets = FleetCli.TargetsOption();
        var command = new Command(
            "drift",
            "Compare the live schema with the schema the migrations produce at the database's current revision (replayed into a shadow database; without one, the schema recorded after the last change). Exit 9 on drift, 0 when equal.")
        {
            snapshot, noCache, method, targets,
        };
        options.AddTo(command);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = context.LoadSettings(result);
            var driftOptions = options.Read(result, context) with
            {
                SnapshotFile = result.GetValue(snapshot) is { } file ? Path.GetFullPath(file, context.WorkingDirectory) : null,
                UseCache = !result.GetValue(noCache),
                Method = result.GetValue(method),
            };
            if (result.GetValue(targets) is { } targetsFile)
            {
                return await FleetCli.RunAsync(context, result, targetsFile, settings, (fleet, file, observer, stop) => fleet.DriftAsync(file, driftOptions, observer, stop), ct);
            }

            var report = await context.CreateCommands(settings, new ProgressObserver(context.Console)).DriftAsync(driftOptions, ct);
            var error = report.HasDrift
                ? new ErrorDocument(FailureKind.Drift, $"schema drift: {DriftText.Count(report.Comparison.Differences.Count)}; the database does not match its migrations.")
                : null;
            if (context.IsJson(result))
            {
                context.WriteJson(result, DriftDocument.From(report) with { Error = error }, CliJsonContext.Default.DriftDocument);
            }
            else
            {
                context.Console.Out.Write(report.ToText());
            }

            if (error is not null)
            {
                context.Console.Error.WriteLine($"error: {error.Message}");
            }

            return report.ExitCode;
        }, cancellationToken));
        return command;
    }

    public static Command Snapshot(CliContext context)
    {
        var options = new DriftOptionSet();
        var output = new Option<string?>("--output") { Description = "The file to write (default: schema.<provider>.json in the migrations directory).", HelpName = "FILE" };
        var check = new Option<bool>("--check") { Description = "Write nothing; exit 9 when the file is not the schema at head (for CI)." };
        var command = new Command(
            "snapshot",
            "Write the schema the migrations produce at head to a file to commit beside them; drift uses it when no shadow database can be created.")
        {
            output, check,
        };
        command.Options.Add(options.IncludePrivileges);
        command.Options.Add(options.ShadowDatabase);
        command.SetAction((result, cancellationToken) => context.RunAsync(result, async ct =>
        {
            var settings = context.LoadSettings(result);
            var request = new Migrate.Commands.SnapshotRequest(
                result.GetValue(output) is { } file ? Path.GetFullPath(file, context.WorkingDirectory) : null,
                result.GetValue(check));
            var snapshot = await context.CreateCommands(settings, new ProgressObserver(context.Console)).SnapshotAsync(request, options.Read(result, context), ct);
            var shown = ErrorRenderer.RelativePath(snapshot.Path, context.WorkingDirectory);
            var at = snapshot.Heads.Count == 0 ? "base" : ShortList.Join(snapshot.Heads);
            var error = request.Check && !snapshot.UpToDate ? new ErrorDocument(FailureKind.Drift, $"{shown} is out of date.") : null;
            if (context.IsJson(result))
            {
                var document = new SnapshotDocument(snapshot.Path, snapshot.Heads, snapshot.RevisionCount, snapshot.UpToDate, snapshot.Written) { Error = error };
                context.WriteJson(result, document, CliJsonContext.Default.SnapshotDocument);
            }
            else
            {
                context.Console.Out.WriteLine(
                    snapshot.Written ? $"Wrote {shown}: the schema at {at} ({snapshot.RevisionCount} revisions). Commit it with the migrations."
                    : snapshot.UpToDate ? $"{shown} is up to date: the schema at {at}."
                    : $"{shown} is not the schema at {at}: run `probeops-migrate snapshot` and commit the result.");
            }

            if (error is not null)
            {
                context.Console.Error.WriteLine($"error: {error.Message}");
                return (int)error.Failure;
            }

            return 0;
        }, cancellationToken));
        return command;
    }
}

/// <summary>The options that say how the expected schema is computed and compared; shared by drift, snapshot, preflight and deploy.</summary>
public sealed class DriftOptionSet
{
    public Option<string[]> Exclude { get; } = new("--exclude")
    {
        Description = "Leave objects the migrations do not own out of the comparison: a glob on the names the report shows (public.legacy_*, public.users.tmp_*). Repeatable.",
        HelpName = "PATTERN",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> IncludePrivileges { get; } = new("--include-privileges") { Description = "Compare grants too (the owner's own are left out)." };

    public Option<string?> ShadowDatabase { get; } = new("--shadow-database")
    {
        Description = $"An empty database to replay the migrations into, when the user cannot create one (env {SettingsLoader.ShadowDatabaseEnvironmentVariable}, config key shadowDatabase). It is emptied again afterwards.",
        HelpName = "URL",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Exclude);
        command.Options.Add(IncludePrivileges);
        command.Options.Add(ShadowDatabase);
    }

    public DriftOptions Read(ParseResult result, CliContext context) => new()
    {
        Exclude = result.GetValue(Exclude) ?? [],
        IncludePrivileges = result.GetValue(IncludePrivileges),
        // The environment and the config file's shadowDatabase come through the settings.
        ShadowDatabase = result.GetValue(ShadowDatabase),
        CacheDirectory = NonEmpty(context.Environment(ExpectedSchemaCache.DirectoryVariable)) is { } directory
            ? Path.GetFullPath(directory, context.WorkingDirectory)
            : ExpectedSchemaCache.DefaultDirectory(context.Environment),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
