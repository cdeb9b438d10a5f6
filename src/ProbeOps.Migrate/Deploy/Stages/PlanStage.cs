namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 7: what is pending, from the history the inspect stage read.</summary>
public sealed class PlanStage : IDeployStage
{
    public string Name => DeployStages.Plan;

    public bool ChangesNothing => true;

    public Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var plan = state.PlanToHeads();
        state.Plan = plan;
        return Task.FromResult(new StageResult(plan.IsEmpty ? "nothing pending" : $"{plan.Steps.Count} pending: {DeployText.Summarise(plan.Steps.Select(s => s.Id))}"));
    }
}
