using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ProbeOps.Migrate.Tests.Hosting;

/// <summary>
/// The ASP.NET example (examples/aspnet) run as a process on a port the OS picks, as a replica would run: its
/// address is read from the line Kestrel logs once it listens.
/// </summary>
public sealed partial class ExampleApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExampleApp(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the app has printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string AssemblyPath
    {
        get
        {
            // tests/ProbeOps.Migrate.Tests/bin/<Configuration>/net10.0/ → examples/aspnet/bin/<Configuration>/net10.0/
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testOutput.Parent!.Name;
            var root = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "examples", "aspnet", "bin", configuration, "net10.0", "ProbeOps.Migrate.Example.Web.dll");
        }
    }

    public static ExampleApp Start(string database, string onStartup = "Apply")
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
        };
        info.ArgumentList.Add(AssemblyPath);
        info.Environment["ConnectionStrings__Database"] = database;
        info.Environment["Migrations__OnStartup"] = onStartup;
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        var app = new ExampleApp(Process.Start(info) ?? throw new InvalidOperationException("could not start the example app"));
        app._process.OutputDataReceived += (_, e) => app.Read(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Read(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    /// <summary>The app's address, once it listens; throws with its output if it exits first.</summary>
    public async Task<Uri> ListeningAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(3)));
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"the example app did not start listening:\n{Output}");
        }

        return await _listening.Task;
    }

    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
