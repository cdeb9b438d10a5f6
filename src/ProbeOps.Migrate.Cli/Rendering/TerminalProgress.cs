using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using Spectre.Console;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Shows long work on a terminal with Spectre.Console's progress display: one row per deploy stage, a bar
/// over the migrations being applied, and a row per backfill statement with its runs, rows and rows per second. When output is redirected it stays quiet and only the
/// plain observer's lines are written.
/// </summary>
public static class TerminalProgress
{
    /// <summary>Runs <paramref name="work"/> with an observer that draws progress on a terminal, or <paramref name="plain"/> otherwise.</summary>
    public static async Task<T> RunAsync<T>(CliConsole console, IDeployObserver plain, Func<IDeployObserver, Task<T>> work)
    {
        if (!console.IsTerminal)
        {
            return await work(plain);
        }

        return await console.Ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => work(new SpectreObserver(context)));
    }

    private sealed class SpectreObserver(ProgressContext context) : IDeployObserver
    {
        private ProgressTask? _stage;
        private ProgressTask? _steps;
        private ProgressTask? _backfill;
        private string? _backfillKey;

        public void StageStarted(string stage)
        {
            _stage = context.AddTask(Markup.Escape(stage), maxValue: 1);
            _stage.IsIndeterminate = true;
        }

        public void StageFinished(StageReport stage)
        {
            _stage ??= context.AddTask(Markup.Escape(stage.Name), maxValue: 1);
            var mark = stage.Outcome switch
            {
                StageOutcome.Passed => "[green]ok[/]",
                StageOutcome.Warning => "[yellow]warn[/]",
                StageOutcome.Skipped => "[grey]skip[/]",
                _ => "[red]FAIL[/]",
            };
            _stage.Description = $"{mark} {Markup.Escape(stage.Name)} [grey]{Markup.Escape(Shorten(stage.Detail))}[/]";
            _stage.IsIndeterminate = false;
            _stage.Value = 1;
            _stage.StopTask();
            _stage = null;
        }

        public void StepStarted(StepProgress step)
        {
            _steps ??= context.AddTask("migrations", maxValue: step.Total);
            _steps.Description = $"{(step.Direction == Planning.MigrationDirection.Upgrade ? "applying" : "reverting")} {Markup.Escape(step.Revision.Id)}";
            _steps.Value = step.Index;
        }

        public void StepFinished(StepProgress step, TimeSpan elapsed)
        {
            if (_steps is null)
            {
                return;
            }

            _steps.Value = step.Index + 1;
            if (step.Index + 1 == step.Total)
            {
                _steps.Description = $"{step.Total} migration{(step.Total == 1 ? "" : "s")}";
                _steps.StopTask();
                _steps = null;
            }
        }

        /// <summary>One row per backfill statement: runs, rows, rows per second; the elapsed column shows the time so far.</summary>
        public void BackfillProgressed(BackfillProgress progress)
        {
            var key = $"{progress.Revision}#{progress.Statement}";
            if (_backfill is null || _backfillKey != key)
            {
                _backfill?.StopTask();
                _backfill = context.AddTask(Markup.Escape(progress.Revision), maxValue: 1);
                _backfill.IsIndeterminate = true;
                _backfillKey = key;
            }

            _backfill.Description = Markup.Escape(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"backfill {progress.Revision} ({progress.Statement}/{progress.Statements}): {progress.Runs:N0} runs, {progress.Rows:N0} rows, {progress.RowsPerSecond:N0} rows/s"));
            if (progress.StatementDone)
            {
                _backfill.IsIndeterminate = false;
                _backfill.Value = 1;
                _backfill.StopTask();
                _backfill = null;
            }
        }

        public void Notice(string message) => context.AddTask($"[yellow]notice[/] {Markup.Escape(Shorten(message))}", maxValue: 1).Value = 1;

        private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "...";
    }
}
