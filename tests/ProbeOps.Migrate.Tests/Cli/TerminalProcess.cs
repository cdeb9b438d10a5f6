using System.Diagnostics;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>
/// Runs the tool on a pseudo-terminal (util-linux <c>script</c>), as a person at a terminal would: the
/// progress display and prompts appear only there. What is typed comes from <c>input</c>.
/// </summary>
public static class TerminalProcess
{
    public static async Task<CliOutput> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string input, params string[] args)
    {
        var info = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-q", "-e", "-c", string.Join(' ', args.Select(Quote).Prepend(CliProcess.ShellCommand)), "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["TERM"] = "xterm";
        CliProcess.UseTestEnvironment(info, environment);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start script(1)");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliOutput(process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
