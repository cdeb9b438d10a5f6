using System.Diagnostics;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>What a run of the real <c>probeops-migrate</c> process printed and returned.</summary>
public sealed record CliOutput(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the built command-line tool as a separate process, as a user or a script would.</summary>
public static class CliProcess
{
    /// <summary>The tool's assembly, copied beside the tests by the project reference.</summary>
    public static string ToolPath { get; } = typeof(ProbeOps.Migrate.Cli.CliApp).Assembly.Location;

    /// <summary>
    /// A published executable to run instead of the assembly (PROBEOPS_TEST_CLI), so the same tests
    /// check the native build users get.
    /// </summary>
    public static string? PublishedTool { get; } =
        Environment.GetEnvironmentVariable("PROBEOPS_TEST_CLI") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The tool as a shell command line (paths here hold no spaces).</summary>
    public static string ShellCommand => PublishedTool ?? $"dotnet {ToolPath}";

    public static async Task<CliOutput> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        return await CollectAsync(process, TimeSpan.FromMinutes(3));
    }

    /// <summary>A started tool's output once it exits, read as it runs (a full pipe never stalls it); <paramref name="limit"/> is a guard only.</summary>
    public static async Task<CliOutput> CollectAsync(Process process, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(process);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return new CliOutput(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliOutput> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, null, args);

    /// <summary>Starts the tool without waiting, for tests that kill or race it.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        if (PublishedTool is not null && !File.Exists(PublishedTool))
        {
            throw new InvalidOperationException($"PROBEOPS_TEST_CLI names {PublishedTool}, which does not exist.");
        }

        var info = new ProcessStartInfo(PublishedTool ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (PublishedTool is null)
        {
            info.ArgumentList.Add(ToolPath);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        UseTestEnvironment(info, environment);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>A test's settings must come from the test alone, not from the machine running it.</summary>
    public static void UseTestEnvironment(ProcessStartInfo info, IReadOnlyDictionary<string, string?>? environment)
    {
        info.Environment.Remove("DATABASE_URL");
        info.Environment.Remove("PROBEOPS_MIGRATIONS");
        info.Environment.Remove("PROBEOPS_MIGRATE_CONFIG");
        info.Environment.Remove("PROBEOPS_LOCK");
        info.Environment.Remove("PROBEOPS_LOCK_LEASE");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }
    }
}
