using System.Globalization;
using ProbeOps.Migrate.Deploy;
using ProbeOps.Migrate.Execution;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ProbeOps.Migrate.Cli.Rendering;

/// <summary>
/// Shows long work on a terminal with Spectre.Console's progress display: one row per deploy stage (a
/// spinner while it runs, its outcome once done), a row counting migrations (<c>3/10 migrations</c>,
/// with a bar, as each one finishes) and a row counting the bytes of a backup as they are written,
/// and a row per backfill statement with its runs, rows and rows per second.
/// Stages have no bar: their length is unknown, and a bar that jumps from empty to full tells nothing.
/// Every column but the last, the description, has a fixed width, so nothing shifts as the text changes. When output is
/// redirected it stays quiet and only the plain observer's lines are written.
/// </summary>
public static class TerminalProgress
{
    /// <summary>What the spinner, amount and elapsed-time columns and the gaps between them take of a line.</summary>
    private const int FixedColumnsWidth = AmountColumn.Width + 16;

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
            .Columns(new SpinnerColumn { CompletedText = " " }, new AmountColumn(), new ElapsedTimeColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(context => work(new SpectreObserver(context, Math.Max(20, console.Ansi.Profile.Width - FixedColumnsWidth))));
    }

    /// <param name="descriptionWidth">What is left of the line for the description, the last column, so that its length moves nothing.</param>
    private sealed class SpectreObserver(ProgressContext context, int descriptionWidth) : IDeployObserver
    {
        private ProgressTask? _stage;
        private ProgressTask? _steps;
        private ProgressTask? _backup;
        private ProgressTask? _backfill;
        private string? _backfillKey;

        public void StageStarted(string stage)
        {
            _stage = context.AddTask(Cell("    ", stage), maxValue: 1);
            _stage.IsIndeterminate = true;
        }

        public void StageFinished(StageReport stage)
        {
            _stage ??= context.AddTask(Cell("    ", stage.Name), maxValue: 1);
            var mark = stage.Outcome switch
            {
                StageOutcome.Passed => "[green] ok [/]",
                StageOutcome.Warning => "[yellow]warn[/]",
                StageOutcome.Skipped => "[grey]skip[/]",
                _ => "[red]FAIL[/]",
            };
            _stage.Description = Cell(mark, $"{stage.Name,-9} {stage.Detail}");
            _stage.IsIndeterminate = false;
            _stage.Value = 1;
            _stage.StopTask();
            _stage = null;
            _backup?.StopTask();
            _backup = null;
        }

        public void StepStarted(StepProgress step)
        {
            if (_steps is null)
            {
                _steps = context.AddTask(Cell("    ", "migrations"), maxValue: step.Total);
                _steps.State.Update<int>(AmountColumn.Kind, _ => AmountColumn.Migrations);
            }

            var verb = step.Direction == Planning.MigrationDirection.Upgrade ? "applying" : "reverting";
            _steps.Description = Cell("    ", $"{verb} {step.Revision.Id}");
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
                var verb = step.Direction == Planning.MigrationDirection.Upgrade ? "applied" : "reverted";
                _steps.Description = Cell("    ", $"{step.Total} migration{(step.Total == 1 ? "" : "s")} {verb}");
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
                _backfill = context.AddTask(Cell("    ", progress.Revision), maxValue: 1);
                _backfill.IsIndeterminate = true;
                _backfillKey = key;
            }

            _backfill.Description = Cell("    ", string.Create(
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

        public void BackupProgress(long bytesWritten)
        {
            if (_backup is null)
            {
                _backup = context.AddTask(Cell("    ", "backup written"), maxValue: double.MaxValue);
                _backup.State.Update<int>(AmountColumn.Kind, _ => AmountColumn.Bytes);
            }

            _backup.Value = bytesWritten;
        }

        public void Notice(string message)
        {
            var notice = context.AddTask(Cell("[yellow]note[/]", message), maxValue: 1);
            notice.Value = 1;
            notice.StopTask();
        }

        /// <summary>A mark of four characters, then the text, cut to the room there is.</summary>
        private string Cell(string mark, string text)
        {
            var room = descriptionWidth - 5;
            var fitted = text.Length <= room ? text : text[..(room - 3)] + "...";
            return $"{mark} {Markup.Escape(fitted)}";
        }
    }

    /// <summary>How much of a task is done, in a column of fixed width: migrations of the total with a bar, or bytes written.</summary>
    private sealed class AmountColumn : ProgressColumn
    {
        public const string Kind = "amount";
        public const int Migrations = 1;
        public const int Bytes = 2;
        public const int Width = BarWidth + 12;
        private const int BarWidth = 10;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text((task.State.Get<int>(Kind) switch
            {
                Migrations => Bar(task.Value, task.MaxValue) + " " + $"{task.Value:0}/{task.MaxValue:0}".PadLeft(Width - BarWidth - 1),
                Bytes => FormatBytes((long)task.Value).PadLeft(Width),
                _ => "",
            }).PadRight(Width));

        public override int? GetColumnWidth(RenderOptions options) => Width;

        private static string Bar(double value, double max)
        {
            var filled = max <= 0 ? BarWidth : (int)Math.Round(BarWidth * Math.Min(value, max) / max);
            return new string('#', filled) + new string('.', BarWidth - filled);
        }

        private static string FormatBytes(long bytes) => bytes switch
        {
            < 1024 => $"{bytes} B",
            < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
            < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
        };
    }
}
