using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// Renders a plan as the SQL a run would send: the same units, statements and history writes as
/// <see cref="MigrationRunner"/>, with the transaction boundaries written out. A backfill statement is written
/// once, after the transaction it follows, with a comment saying that it repeats until a run changes no row.
/// </summary>
public static class ScriptWriter
{
    public static string Write(MigrationPlan plan, IHistorySql history, TransactionMode mode, RunOptions options, DateTimeOffset now)
    {
        var sql = new StringBuilder();
        if (plan.IsEmpty)
        {
            return "-- Nothing to run: the database is already at the target.\n";
        }

        RefuseCode(plan);
        foreach (var pending in plan.Resume)
        {
            AppendBackfill(sql, history, pending.Revision, pending.NextStatement, resumed: true);
        }

        foreach (var unit in MigrationRunner.Units(plan, mode))
        {
            if (unit.Transactional)
            {
                Append(sql, history.BeginTransaction());
                if (plan.Direction == MigrationDirection.Upgrade)
                {
                    foreach (var create in history.CreateTables())
                    {
                        Append(sql, create);
                    }
                }
            }

            foreach (var step in unit.Steps)
            {
                var section = MigrationRunner.SectionOf(step, plan.Direction);
                sql.Append("\n-- ").Append(plan.Direction == MigrationDirection.Upgrade ? "upgrade " : "downgrade ").Append(step.Id)
                    .Append(section.Transactional ? "" : " (outside a transaction)").Append('\n');
                foreach (var statement in section.Statements)
                {
                    Append(sql, statement);
                }
            }

            foreach (var repeatable in unit.Repeatables)
            {
                sql.Append("\n-- repeatable ").Append(repeatable.Name).Append('\n');
                foreach (var statement in repeatable.Upgrade.Statements)
                {
                    Append(sql, statement);
                }
            }

            if (!unit.Transactional)
            {
                Append(sql, history.BeginTransaction());
                if (plan.Direction == MigrationDirection.Upgrade)
                {
                    foreach (var create in history.CreateTables())
                    {
                        Append(sql, create);
                    }
                }
            }

            if (unit.Steps.Count > 0)
            {
                Append(sql, plan.Direction == MigrationDirection.Upgrade
                    ? history.InsertApplied([.. unit.Steps.Select(s => MigrationRunner.ToHistoryRow(s, now, 0, options) with
                    {
                        BackfillStatement = s.File is { HasBackfill: true } ? 1 : null,
                    })])
                    : history.DeleteApplied([.. unit.Steps.Select(s => s.Id)]));
            }

            if (unit.Repeatables.Count > 0)
            {
                foreach (var create in history.CreateRepeatableTable())
                {
                    Append(sql, create);
                }

                Append(sql, history.InsertRepeatables([.. unit.Repeatables.Select(r => MigrationRunner.ToRepeatableRow(r, now, 0, options))]));
            }

            Append(sql, history.Commit());
            foreach (var step in unit.Steps.Where(s => plan.Direction == MigrationDirection.Upgrade && s.File is { HasBackfill: true }))
            {
                AppendBackfill(sql, history, step, 1, resumed: false);
            }
        }

        return sql.ToString();
    }

    /// <summary>
    /// A script without a code revision's changes would record it as applied all the same: refuse (exit 2) rather than
    /// print a script that is silently wrong.
    /// </summary>
    private static void RefuseCode(MigrationPlan plan)
    {
        var code = plan.Steps.Concat(plan.Resume.Select(p => p.Revision)).FirstOrDefault(s => s.File is { IsCode: true });
        if (code is not null)
        {
            throw new MigrateException(
                FailureKind.Usage,
                $"--sql cannot write {code.Id}: it is a C# code migration ({code.File!.FileName}), which runs only through the library. Apply it from the application, or write the script up to the revision before it.");
        }
    }

    /// <summary>A backfill's statements, each marked as repeating, then the history write that ends it.</summary>
    private static void AppendBackfill(StringBuilder sql, IHistorySql history, Graph.Revision revision, int from, bool resumed)
    {
        var section = revision.File?.Backfill;
        var statements = section?.Statements ?? [];
        sql.Append("\n-- backfill ").Append(revision.Id).Append(resumed ? $" (resumed at statement {from})" : "")
            .Append(section is { Pause.Ticks: > 0 } ? $", pausing {Configuration.Durations.Format(section.Pause)} between runs" : "").Append('\n');
        for (var i = from - 1; i < statements.Count; i++)
        {
            sql.Append("-- repeats, each run in its own transaction, until a run changes no row:\n");
            Append(sql, statements[i]);
        }

        Append(sql, history.SetBackfillStatement(revision.Id, null));
    }

    private static void Append(StringBuilder sql, SqlStatement statement)
    {
        // A statement that ends in a line comment would swallow its own terminator.
        var lastLine = statement.Text.AsSpan(statement.Text.LastIndexOf('\n') + 1);
        sql.Append(statement.Text).Append(lastLine.Contains("--", StringComparison.Ordinal) ? "\n;\n" : ";\n");

        // A COPY ... FROM STDIN is followed by its data and the line that ends it, as psql reads them.
        if (statement.Copy is { } copy)
        {
            sql.Append(copy.Data).Append("\\.\n");
        }
    }
}
