using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// The plain observer for redirected output: each deploy stage as a checklist line with its time, on
/// stderr (stdout is kept for results and <c>--json</c>); migration steps stay quiet; notices always show.
/// </summary>
public sealed class ProgressObserver(CliConsole console) : IDeployObserver
{
    public void StageStarted(string stage)
    {
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
        var elapsed = stage.Elapsed.TotalSeconds >= 10 ? $"{stage.Elapsed.TotalSeconds:0} s" : $"{stage.Elapsed.TotalMilliseconds:0} ms";
        console.Error.WriteLine($"[{mark}] {stage.Name,-9} {elapsed,8}  {stage.Detail}");
    }

    public void StepStarted(StepProgress step)
    {
    }

    public void StepFinished(StepProgress step, TimeSpan elapsed)
    {
    }

    public void Notice(string message) => console.Error.WriteLine($"notice: {message}");
}
