using System.Diagnostics;
using ProbeOps.Migrate.Fleet;
using Spectre.Console;

namespace ProbeOps.Migrate.Cli.Fleet;

/// <summary>
/// The live table of a fleet on a terminal: one row per target with its wave, its state (waiting, the stage
/// it is in, or how it ended), its revision before and after, and its time. Redrawn a few times a second
/// while the fleet runs; the final table stays on the screen.
/// </summary>
public sealed class FleetTable : IFleetObserver
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly List<Row> _rows = [];

    public static async Task<FleetReport> RunAsync(CliConsole console, Func<IFleetObserver, Task<FleetReport>> work)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(work);
        var table = new FleetTable();
        FleetReport? report = null;
        await console.Ansi.Live(table.Render()).AutoClear(false).StartAsync(async live =>
        {
            var running = work(table);
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(Redraw));
                live.UpdateTarget(table.Render());
                live.Refresh();
            }

            report = await running;
        });
        return report!;
    }

    public void TargetsResolved(IReadOnlyList<FleetTarget> targets)
    {
        lock (_gate)
        {
            _rows.Clear();
            _rows.AddRange(targets.Select(t => new Row(t)));
        }
    }

    public void TargetStarted(FleetTarget target) => Update(target, row => row.Start());

    public void TargetStage(FleetTarget target, string stage) => Update(target, row => row.State = stage);

    public void TargetFinished(TargetOutcome outcome) => Update(outcome.Target, row => row.Outcome = outcome);

    private void Update(FleetTarget target, Action<Row> change)
    {
        lock (_gate)
        {
            if (_rows.Find(r => r.Target.Order == target.Order) is { } row)
            {
                change(row);
            }
        }
    }

    private Table Render()
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "target", "wave", "state", "before", "after", "time" })
        {
            table.AddColumn(column);
        }

        lock (_gate)
        {
            foreach (var row in _rows)
            {
                table.AddRow(row.Cells());
            }
        }

        return table;
    }

    private sealed class Row(FleetTarget target)
    {
        private long? _started;

        public FleetTarget Target => target;

        public string State { get; set; } = "waiting";

        public TargetOutcome? Outcome { get; set; }

        public void Start()
        {
            _started = Stopwatch.GetTimestamp();
            State = "starting";
        }

        public string[] Cells()
        {
            var state = Outcome is null ? $"[blue]{Markup.Escape(State)}[/]" : Colour(Outcome);
            var time = Outcome is not null ? FleetText.Seconds(Outcome)
                : _started is { } started ? $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s" : "-";
            return
            [
                Markup.Escape(target.Name), Markup.Escape(target.Wave), state,
                Markup.Escape(FleetText.Heads(Outcome?.HeadsBefore ?? [])), Markup.Escape(FleetText.Heads(Outcome?.HeadsAfter ?? [])), time,
            ];
        }

        private static string Colour(TargetOutcome outcome)
        {
            var colour = outcome.Failed ? "red" : outcome.Started ? "green" : "grey";
            var exit = outcome.ExitCode is { } code and not 0 ? $" (exit {code})" : "";
            return $"[{colour}]{Markup.Escape(outcome.Outcome + exit)}[/]";
        }
    }
}
