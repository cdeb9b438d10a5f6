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
        var pending = plan.Steps.Count == 0 ? "nothing pending" : $"{plan.Steps.Count} pending: {DeployText.Summarise(plan.Steps.Select(s => s.Id))}";
        var resume = plan.Resume.Count == 0 ? "" : $"; resumes the backfill of {DeployText.Summarise(plan.Resume.Select(r => r.Revision.Id))}";
        return Task.FromResult(new StageResult(pending + resume));
    }
}
