using ProbeOps.Migrate.Execution;

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

        // Before the backup: a run the server cannot carry out as asked stops while nothing is spent.
        if (ids.Count > 0 && CapabilityPlanning.Check(state.RequireSession.Capabilities, state.RunOptions, state.Context.Target.Display) is { } warning)
        {
            state.Warnings.Add(warning);
        }

        if (ids.Count > 0 && CapabilityPlanning.ConcurrentNote(state.RequireSession.Capabilities, plan, state.Context.Target.Display) is { } note)
        {
            state.Warnings.Add(note);
        }

        var pending = ids.Count == 0 ? "nothing pending" : $"{ids.Count} pending: {DeployText.Summarise(ids)}";
        var resume = plan.Resume.Count == 0 ? "" : $"; resumes the backfill of {DeployText.Summarise(plan.Resume.Select(r => r.Revision.Id))}";
        return Task.FromResult(new StageResult(pending + resume));
    }
}
