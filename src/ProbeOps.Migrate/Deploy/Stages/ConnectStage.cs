namespace ProbeOps.Migrate.Deploy;

/// <summary>Stage 2: one session on the database, kept for the rest of the run.</summary>
public sealed class ConnectStage : IDeployStage
{
    public string Name => DeployStages.Connect;

    public bool ChangesNothing => true;

    public async Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var context = state.Context;
        state.Database = context.Target.Display;
        var session = await context.OpenSessionAsync(cancellationToken);
        state.Session = session;
        return new StageResult($"{context.Target.Display} ({context.Provider.Name} {session.ServerVersion})");
    }
}
