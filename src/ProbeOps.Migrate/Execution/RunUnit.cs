using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;

namespace ProbeOps.Migrate.Execution;

/// <summary>One applied or reverted step of a run: a revision, or a repeatable migration (<c>repeatable/NAME</c>).</summary>
public sealed record StepResult(string Revision, MigrationDirection Direction, long ExecutionMilliseconds)
{
    /// <summary>True for a repeatable migration, which is no revision of the graph.</summary>
    public bool IsRepeatable { get; init; }
}

/// <summary>
/// A group of steps that run in one transaction, or one step that runs outside any; the last transactional group
/// also holds the plan's repeatable migrations.
/// </summary>
public sealed record RunUnit(bool Transactional, IReadOnlyList<Revision> Steps)
{
    public IReadOnlyList<RepeatableMigration> Repeatables { get; init; } = [];
}
