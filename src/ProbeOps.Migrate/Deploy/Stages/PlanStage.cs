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
        var ids = plan.Ids.ToList();
        var pending = ids.Count == 0 ? "nothing pending" : $"{ids.Count} pending: {DeployText.Summarise(ids)}";
        var resume = plan.Resume.Count == 0 ? "" : $"; resumes the backfill of {DeployText.Summarise(plan.Resume.Select(r => r.Revision.Id))}";
        return Task.FromResult(new StageResult(pending + resume));
    }
}
