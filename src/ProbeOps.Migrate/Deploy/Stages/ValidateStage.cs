namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 1: the files and the graph.</summary>
public sealed class ValidateStage : IDeployStage
{
    public string Name => DeployStages.Validate;

    public bool ChangesNothing => true;

    public Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var graph = state.Context.Graphs.Load(state.Request.AllowMultipleHeads);
        state.Graph = graph;
        return Task.FromResult(new StageResult($"{graph.Count} migrations, head {DeployText.Summarise(graph.Heads.Select(h => h.Id))}"));
    }
}
