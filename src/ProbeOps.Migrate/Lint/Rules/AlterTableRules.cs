using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>Checks each action of an <c>ALTER TABLE</c> on an existing table; PL143, PL152 and PL153 live here.</summary>
internal static class AlterTableRules
{
    public static void Check(StatementCheck check, TransactionGroup group)
    {
        if (check.Statement is not AlterTable alter || check.IsNew(alter.Table))
            return;
        var table = alter.Table;
        foreach (var action in alter.Actions)
        {
            switch (action)
            {
                case AddColumn add:
                    ColumnRules.AddColumn(check, table, add.Column);
                    break;
                case SetNotNull set:
                    ColumnRules.SetNotNull(check, table, set.Column);
                    break;
                case AlterColumnType change:
                    ColumnRules.ChangeType(check, table, change);
                    break;
                case AddConstraint constraint:
                    ConstraintRules.Add(check, table, constraint);
                    break;
                case ValidateConstraint validate:
                    ConstraintRules.Validate(check, table, validate, group);
                    break;
                case RewritingAction rewrite:
                    check.Report(
                        LintRules.TableRewrite,
                        $"{rewrite.Description} rewrites every row of {table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
                        "Do it in a maintenance window, or build a new table and move the data in batches.",
                        LockMode.AccessExclusive,
                        $"rewrites {table}");
                    break;
                case DropColumn drop:
                    check.Report(
                        LintRules.DropColumn,
                        $"DROP COLUMN {drop.Column} breaks application code still running that reads or writes {table}.{drop.Column}.",
                        "Stop using the column in a deploy of the application first, then drop it in a later migration.",
                        LockMode.AccessExclusive);
                    break;
                case Rename rename:
                    var what = rename.Column is null ? $"table {table}" : $"column {table}.{rename.Column}";
                    check.Report(
                        LintRules.Rename,
                        $"RENAME of {what} to {rename.NewName} breaks application code still running that uses the old name.",
                        "Add the new name alongside the old (a view, or a new column kept in step), move the application to it, then drop the old name in a later migration.",
                        LockMode.AccessExclusive);
                    break;
            }
        }
    }
}
