using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>What to do with a database that has objects but no history (SPEC §6 step 5).</summary>
/// <param name="State">Empty or unversioned.</param>
/// <param name="Objects">Some of the user objects found, for the question.</param>
/// <param name="BaseRevision">The base revision: the default answer.</param>
public sealed record StampQuestion(DatabaseState State, IReadOnlyList<string> Objects, string BaseRevision);

/// <summary>The options of <c>deploy</c>.</summary>
public sealed record DeployRequest
{
    /// <summary>Skip the backup; must be asked for explicitly. Client version problems become warnings.</summary>
    public bool NoBackup { get; init; }

    /// <summary>
    /// <c>base</c>, <c>head</c>, a revision id, or <c>auto</c> (the one revision whose expected schema the
    /// database matches): how to stamp an unversioned database. Null: ask, or stop with exit 10.
    /// </summary>
    public string? StampUnversioned { get; init; }

    public bool AllowMultipleHeads { get; init; }

    public bool AllowDrift { get; init; }

    /// <summary>
    /// Why a risk-accepting flag (<see cref="RiskAcceptingFlags"/>) is given; required for one in a protected
    /// environment. Recorded in the report and the audit log whenever it is given.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Lint errors in the pending revisions become warnings recorded in the report instead of stopping the run.</summary>
    public bool AllowLintErrors { get; init; }

    /// <summary>How the expected schema is computed and compared (exclusions, privileges, shadow database).</summary>
    public DriftOptions Drift { get; init; } = DriftOptions.Default;

    public TransactionMode Mode { get; init; } = TransactionMode.Single;

    /// <summary>Keep only the newest N backups of this database.</summary>
    public int? KeepBackups { get; init; }

    /// <summary>Asks a person how to stamp an unversioned database; returns the answer, or null when declined. Null when no one can be asked.</summary>
    public Func<StampQuestion, string?>? AskStamp { get; init; }
}

/// <summary>Hears the stages of a deploy as they run, and the steps of its apply stage.</summary>
public interface IDeployObserver : IMigrationObserver
{
    void StageStarted(string stage);

    void StageFinished(StageReport stage);
}

/// <summary>A deploy observer that hears nothing.</summary>
public sealed class NullDeployObserver : IDeployObserver
{
    public static readonly NullDeployObserver Instance = new();

    public void StageStarted(string stage)
    {
    }

    public void StageFinished(StageReport stage)
    {
    }

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
