using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 7: what is pending, from the history the inspect stage read.</summary>
public sealed class PlanStage : IDeployStage
{
    public string Name => DeployStages.Plan;

    public bool ChangesNothing => true;

    public Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var graph = state.RequireGraph;
        var target = graph.Heads.Count == 1 ? Target.Revision(graph.Heads[0].Id) : Target.Heads;
        var inspection = state.RequireInspection;
        var plan = Planner.PlanUpgrade(graph, inspection.Applied, target)
            .WithRepeatables(graph, inspection.Applied, AppliedRepeatable.LastChecksums(inspection.Repeatables));
        state.Plan = plan;
        var ids = plan.Ids.ToList();
        return Task.FromResult(new StageResult(plan.IsEmpty ? "nothing pending" : $"{ids.Count} pending: {DeployText.Summarise(ids)}"));
    }
}
