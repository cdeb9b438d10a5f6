using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// Stage 6: lint of the pending revisions and repeatable migrations (SPEC §10), as soon as the server version and the pending revisions are
/// known (after inspect), before drift, plan, backup and any change (docs/decisions/0020-lint-in-the-deploy.md).
/// An error finding stops the run with exit 3, unless <c>--allow-lint-errors</c> makes it a recorded warning.
/// </summary>
public sealed class LintStage(IMigrationLinter linter) : IDeployStage
{
    public string Name => DeployStages.Lint;

    public bool ChangesNothing => true;

    /// <summary>Skipped on an engine the rules are not for (SQLite: one lock for the whole database, its own rewrites).</summary>
    public Task<StageResult?> SkipAsync(DeployState state, CancellationToken cancellationToken) =>
        Task.FromResult(LintServer.RulesApply(state.Context.Provider.Dialect)
            ? null
            : new StageResult($"{state.Context.Provider.Dialect.Name}: the rules are PostgreSQL's", StageOutcome.Skipped));

    public Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var plan = state.PlanToHeads();
        var pending = plan.Steps;
        var version = LintServer.VersionOf(state.RequireSession);
        var options = state.Context.Settings.Lint.ToOptions(
            version, pending.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), state.Request.Mode == TransactionMode.Single);
        var report = linter.Lint(state.RequireGraph, pending, options, plan.Repeatables);
        state.Lint = report;
        var repeatables = plan.Repeatables.Count == 0 ? "" : $", {plan.Repeatables.Count} pending repeatable{(plan.Repeatables.Count == 1 ? "" : "s")}";
        var detail = $"{pending.Count} pending revision{(pending.Count == 1 ? "" : "s")}{repeatables}: {LintText.Counts(report)}";
        if (!report.HasErrors)
        {
            return Task.FromResult(new StageResult(detail, report.Findings.Count == 0 ? StageOutcome.Passed : StageOutcome.Warning));
        }

        if (!state.Request.AllowLintErrors)
        {
            throw new MigrateException(FailureKind.InvalidMigrations, LintText.GateFailure(report));
        }

        state.Warnings.AddRange(report.Findings.Where(f => f.Severity == LintSeverity.Error).Select(LintText.AllowedError));
        return Task.FromResult(new StageResult(detail + " (errors allowed: --allow-lint-errors)", StageOutcome.Warning));
    }
}
