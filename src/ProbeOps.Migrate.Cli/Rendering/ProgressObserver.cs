using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Shows a run's progress on a terminal as one status line that rewrites itself, and stays quiet
/// when output is redirected (SPEC §5). Notices always go to stderr.
/// </summary>
public sealed class ProgressObserver(CliConsole console) : IMigrationObserver
{
    private int _lastWidth;

    public void StepStarted(StepProgress step)
    {
        if (!console.IsTerminal)
        {
            return;
        }

        var verb = step.Direction == MigrationDirection.Upgrade ? "applying" : "reverting";
        var line = $"[{step.Index + 1}/{step.Total}] {verb} {step.Revision.Id}";
        var padded = line.Length < _lastWidth ? line + new string(' ', _lastWidth - line.Length) : line;
        _lastWidth = line.Length;
        console.Error.Write("\r" + padded);
        if (step.Index + 1 == step.Total)
        {
            console.Error.Write("\r" + new string(' ', _lastWidth) + "\r");
            _lastWidth = 0;
        }
    }

    public void StepFinished(StepProgress step, TimeSpan elapsed)
    {
    }

    public void Notice(string message)
    {
        if (_lastWidth > 0)
        {
            console.Error.Write("\r" + new string(' ', _lastWidth) + "\r");
            _lastWidth = 0;
        }

        console.Error.WriteLine($"notice: {message}");
    }
}
