using System.CommandLine;
using System.Text.Json.Serialization.Metadata;
using ProbeOps.Migrate.Cli.Json;
using ProbeOps.Migrate.Cli.Rendering;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Configuration;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Json;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Cli;

/// <summary>
/// What every command needs: the console, the shared options, the clock and the providers. Turns
/// a command's work into an exit code, so no exception reaches the user as a stack trace.
/// </summary>
public sealed class CliContext(
    CliConsole console,
    Func<string, string?> environment,
    string workingDirectory,
    TimeProvider time,
    ProviderRegistry providers)
{
    public CliConsole Console { get; } = console;

    public GlobalOptions Global { get; } = new();

    public RunOptionSet RunOptions { get; } = new();

    public TimeProvider Time { get; } = time;

    public string WorkingDirectory { get; } = workingDirectory;

    public Func<string, string?> Environment { get; } = environment;

    public bool IsJson(ParseResult result) => result.GetValue(Global.Json);

    /// <summary>
    /// Prints <paramref name="document"/> as the command's one JSON document (docs/json.md), named after
    /// the command that ran, and returns its exit code. The caller still writes the error's line on stderr.
    /// </summary>
    public int WriteJson<T>(ParseResult result, T document, JsonTypeInfo<T> typeInfo)
        where T : CommandDocument
    {
        var named = (T)((CommandDocument)document with { Command = CommandName(result) });
        JsonText.Write(Console.Out, named, typeInfo);
        return named.ExitCode;
    }

    /// <summary>The document of a command that failed before it had a result: the envelope and the error.</summary>
    public void WriteJsonError(ParseResult result, ErrorDocument error) =>
        WriteJson(result, new FailureDocument { Error = error }, CliJsonContext.Default.FailureDocument);

    /// <summary>The command that ran, as typed; null when the command line named none.</summary>
    public static string? CommandName(ParseResult result) =>
        result.CommandResult.Command is RootCommand ? null : result.CommandResult.Command.Name;

    public MigrateSettings LoadSettings(ParseResult result, bool withRunOptions = false) =>
        SettingsLoader.Load(Global.Overrides(result, withRunOptions ? RunOptions : null), Environment, WorkingDirectory);

    public MigrationCommands CreateCommands(MigrateSettings settings, IMigrationObserver? observer = null) =>
        new(settings, Providers, Time, observer);

    public ProviderRegistry Providers { get; } = providers;

    /// <summary>
    /// The confirmation of a destructive command: <c>--confirm</c> when given, else the database name
    /// typed at a terminal after <paramref name="warning"/>; null when nobody can be asked (the
    /// command then refuses with exit 10).
    /// </summary>
    public string? Confirmation(ParseResult result, Option<string?> confirm, MigrationCommands commands, string warning)
    {
        var confirmation = result.GetValue(confirm);
        if (confirmation is null && Console.CanPrompt && !IsJson(result))
        {
            var target = commands.Context.Target;
            Console.Error.Write($"{warning} {target.Display}. Type the database name ({target.DatabaseName}) to confirm: ");
            confirmation = Console.In.ReadLine()?.Trim() ?? "";
        }

        return confirmation;
    }

    /// <summary>Runs a command body and maps its failures to SPEC §9 exit codes with a one-line message.</summary>
    public async Task<int> RunAsync(ParseResult result, Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var json = IsJson(result);
        try
        {
            return await body(cancellationToken);
        }
        catch (MigrateException ex)
        {
            Report(result, ex, json);
            return (int)ex.Kind;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Report(result, new MigrateException(FailureKind.Internal, "Cancelled: any open transaction was rolled back."), json);
            return (int)FailureKind.Internal;
        }
        catch (Exception ex)
        {
            var debug = Environment("PROBEOPS_DEBUG") is "1" or "true";
            Report(result, new MigrateException(FailureKind.Internal, $"Unexpected {ex.GetType().Name}: {FirstLine(ex.Message)}{(debug ? "" : " (set PROBEOPS_DEBUG=1 for details)")}"), json);
            if (debug)
            {
                Console.Error.WriteLine(ex.ToString());
            }

            return (int)FailureKind.Internal;
        }
    }

    private void Report(ParseResult result, MigrateException ex, bool json)
    {
        if (json)
        {
            WriteJsonError(result, ErrorDocument.From(ex));
            // Scripts reading stderr still get the one line.
            Console.Error.WriteLine($"error: {ex.Message}");
        }
        else
        {
            ErrorRenderer.Write(Console.Error, ex, WorkingDirectory);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
