using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Prints each deploy stage as it finishes, as a checklist line with its time, to stderr (stdout is
/// kept for <c>--json</c>). Migration steps show as progress only on a terminal.
/// </summary>
public sealed class StageObserver(CliConsole console) : IDeployObserver
{
    private readonly ProgressObserver _steps = new(console);

    public void StageStarted(string stage)
    {
        if (console.IsTerminal)
        {
            console.Error.Write($"[....] {stage}\r");
        }
    }

    public void StageFinished(StageReport stage)
    {
        var mark = stage.Outcome switch
        {
            StageOutcome.Passed => " ok ",
            StageOutcome.Warning => "warn",
            StageOutcome.Skipped => "skip",
            _ => "FAIL",
        };
        console.Error.WriteLine($"[{mark}] {stage.Name,-9} {FormatElapsed(stage.Elapsed),8}  {stage.Detail}");
    }

    public void StepStarted(StepProgress step) => _steps.StepStarted(step);

    public void StepFinished(StepProgress step, TimeSpan elapsed) => _steps.StepFinished(step, elapsed);

    public void Notice(string message) => _steps.Notice(message);

    private static string FormatElapsed(TimeSpan elapsed) =>
        elapsed.TotalSeconds >= 10 ? $"{elapsed.TotalSeconds:0} s" : $"{elapsed.TotalMilliseconds:0} ms";
}
