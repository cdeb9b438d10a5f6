namespace ProbeOps.Migrate.Deploy;

/// <summary>How a stage ended, and one line about it for the report.</summary>
public sealed record StageResult(string Detail, StageOutcome Outcome = StageOutcome.Passed)
{
    /// <summary>A stage that did not run and is not reported.</summary>
    public static StageResult Omitted { get; } = new("", StageOutcome.Skipped);
}

/// <summary>One stage of <c>deploy</c> (SPEC §6): reads what the stages before it found in the state, adds its own.</summary>
public interface IDeployStage
{
    /// <summary>One of <see cref="DeployStages"/>.</summary>
    string Name { get; }

    /// <summary>Changes nothing, so <c>preflight</c> runs it too.</summary>
    bool ChangesNothing { get; }

    /// <summary>
    /// Whether the stage is skipped this time: null to run it; otherwise the skipped result to report,
    /// or <see cref="StageResult.Omitted"/>. A skipped stage may still leave a warning or an audit row.
    /// </summary>
    Task<StageResult?> SkipAsync(DeployState state, CancellationToken cancellationToken) => Task.FromResult<StageResult?>(null);

    /// <summary>Does the stage's work; throws <see cref="MigrateException"/> to end the run with its exit code.</summary>
    Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken);
}
