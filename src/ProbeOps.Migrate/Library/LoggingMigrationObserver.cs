using Microsoft.Extensions.Logging;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate;

/// <summary>Tells a run's progress to <see cref="Microsoft.Extensions.Logging"/>: a line per migration, notice and backfill run.</summary>
internal sealed partial class LoggingMigrationObserver(ILogger logger) : IMigrationObserver
{
    public void StepStarted(StepProgress step) =>
        LogStepStarted(logger, step.Direction, step.Revision.Id, step.Index + 1, step.Total);

    public void StepFinished(StepProgress step, TimeSpan elapsed) =>
        LogStepFinished(logger, step.Direction, step.Revision.Id, (long)elapsed.TotalMilliseconds);

    public void Notice(string message) => LogNotice(logger, message);

    public void BackfillProgressed(BackfillProgress progress)
    {
        if (progress.StatementDone)
        {
            LogBackfill(logger, progress.Revision, progress.Statement + 1, progress.Statements, progress.Runs, progress.Rows);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Direction} {Revision} ({Index}/{Total})")]
    private static partial void LogStepStarted(ILogger logger, MigrationDirection direction, string revision, int index, int total);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Direction} {Revision} done in {Milliseconds} ms")]
    private static partial void LogStepFinished(ILogger logger, MigrationDirection direction, string revision, long milliseconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogNotice(ILogger logger, string message);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Backfill of {Revision}, statement {Statement}/{Statements}: {Runs} runs, {Rows} rows")]
    private static partial void LogBackfill(ILogger logger, string revision, int statement, int statements, long runs, long rows);
}
