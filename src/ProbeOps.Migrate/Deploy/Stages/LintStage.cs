using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Lint;

namespace ProbeOps.Migrate.Deploy;

/// <summary>
/// Stage 6: lint of the pending revisions (SPEC §10), as soon as the server version and the pending revisions are
/// known (after inspect), before drift, plan, backup and any change (docs/decisions/0016-lint-in-the-deploy.md).
/// An error finding stops the run with exit 3, unless <c>--allow-lint-errors</c> makes it a recorded warning.
/// </summary>
public sealed class LintStage(IMigrationLinter linter) : IDeployStage
{
    public string Name => DeployStages.Lint;

    public bool ChangesNothing => true;

    public Task<StageResult> RunAsync(DeployState state, CancellationToken cancellationToken)
    {
        var pending = state.PlanToHeads().Steps;
        var version = LintServer.VersionOf(state.RequireSession);
        var options = state.Context.Settings.Lint.ToOptions(
            version, pending.Select(r => r.Id).ToHashSet(StringComparer.Ordinal), state.Request.Mode == TransactionMode.Single);
        var report = linter.Lint(state.RequireGraph, pending, options);
        state.Lint = report;
        var detail = $"{pending.Count} pending revision{(pending.Count == 1 ? "" : "s")}: {LintText.Counts(report)}";
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
