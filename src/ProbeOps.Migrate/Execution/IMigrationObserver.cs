using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Execution;

/// <summary>Where a step stands in a run: the revision, its direction and its place in the plan.</summary>
public sealed record StepProgress(Revision Revision, MigrationDirection Direction, int Index, int Total);

/// <summary>
/// Hears what a run is doing, for progress bars and logs. The library never writes to the
/// console itself.
/// </summary>
public interface IMigrationObserver
{
    void StepStarted(StepProgress step);

    void StepFinished(StepProgress step, TimeSpan elapsed);

    /// <summary>Something worth telling that does not stop the run (a retry, a skipped check).</summary>
    void Notice(string message);

    /// <summary>The bytes of a backup's dump written so far, as it streams to the disk.</summary>
    void BackupProgress(long bytesWritten)
    {
    }

    /// <summary>A run of a backfill statement has committed (in a dry run: has run).</summary>
    void BackfillProgressed(BackfillProgress progress)
    {
    }
}

/// <summary>An observer that hears nothing.</summary>
public sealed class NullMigrationObserver : IMigrationObserver
{
    public static readonly NullMigrationObserver Instance = new();

    public void StepStarted(StepProgress step)
    {
    }

    public void StepFinished(StepProgress step, TimeSpan elapsed)
    {
    }

    public void Notice(string message)
    {
    }
}
