using System.CommandLine;
using System.Text.Json;
using ProbeOps.Migrate.Cli.Fleet;
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
            if (context.IsJson(result))
            {
                JsonOutput.Write(context.Console.Out, w => WriteJson(w, report));
            }
            else
            {
                context.Console.Out.Write(report.ToText());
            }

            if (report.HasDrift)
            {
                context.Console.Error.WriteLine($"error: schema drift: {DriftText.Count(report.Comparison.Differences.Count)}; the database does not match its migrations.");
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
            var stale = request.Check && !snapshot.UpToDate;
            if (context.IsJson(result))
            {
                JsonOutput.Write(context.Console.Out, w =>
                {
                    w.WriteBoolean("ok", !stale);
                    w.WriteString("path", snapshot.Path);
                    w.WriteStrings("heads", snapshot.Heads);
                    w.WriteNumber("revisions", snapshot.RevisionCount);
                    w.WriteBoolean("upToDate", snapshot.UpToDate);
                    w.WriteBoolean("written", snapshot.Written);
                });
            }
            else
            {
                context.Console.Out.WriteLine(
                    snapshot.Written ? $"Wrote {shown}: the schema at {at} ({snapshot.RevisionCount} revisions). Commit it with the migrations."
                    : snapshot.UpToDate ? $"{shown} is up to date: the schema at {at}."
                    : $"{shown} is not the schema at {at}: run `probeops-migrate snapshot` and commit the result.");
            }

            if (stale)
            {
                context.Console.Error.WriteLine($"error: {shown} is out of date.");
                return (int)FailureKind.Drift;
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    public static void WriteJson(Utf8JsonWriter w, DriftReport report)
    {
        w.WriteBoolean("ok", !report.HasDrift);
        w.WriteNumber("exitCode", report.ExitCode);
        w.WriteString("database", report.Database);
        w.WriteStrings("heads", report.Heads);
        w.WriteBoolean("drift", report.HasDrift);
        w.WriteString("check", report.Check);
        w.WriteStartObject("expected");
        w.WriteString("source", report.Expected.Source.ToString().ToLowerInvariant());
        w.WriteString("description", report.Expected.Description);
        w.WriteNumber("revisions", report.Expected.RevisionCount);
        w.WriteEndObject();
        WriteDifferences(w, report.Comparison);
        w.WriteStrings("notes", report.Comparison.Notes);
        w.WriteNumber("excluded", report.Comparison.ExcludedCount);
        w.WriteNumber("elapsedMs", (long)report.Elapsed.TotalMilliseconds);
    }

    public static void WriteDifferences(Utf8JsonWriter w, SchemaComparison comparison)
    {
        w.WriteStartArray("differences");
        foreach (var d in comparison.Differences)
        {
            w.WriteStartObject();
            w.WriteString("change", d.Change.ToString().ToLowerInvariant());
            w.WriteString("kind", d.Kind.Describe());
            w.WriteString("name", d.Name);
            w.WriteString("ownerKind", d.OwnerKind.Describe());
            w.WriteString("owner", d.Owner);
            if (d.Property is not null)
            {
                w.WriteString("property", d.Property);
                w.WriteString("expected", d.Expected);
                w.WriteString("actual", d.Actual);
            }

            w.WriteString("text", d.ToString());
            w.WriteEndObject();
        }

        w.WriteEndArray();
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
