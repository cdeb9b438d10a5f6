using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>PL122-PL125: constraints whose validation or index build holds a lock for the time of a full scan.</summary>
internal static class ConstraintRules
{
    public static void Add(StatementCheck check, ObjectName table, AddConstraint add)
    {
        switch (add.Kind)
        {
            case ConstraintKind.ForeignKey when !add.NotValid:
                var referenced = add.References?.ToString() ?? "the referenced table";
                check.Report(
                    LintRules.ForeignKeyWithoutNotValid,
                    $"ADD FOREIGN KEY checks every row of {table} while holding SHARE ROW EXCLUSIVE locks on {table} and {referenced}: writes to both wait until it ends.",
                    "Add the constraint with NOT VALID (a catalog change), then VALIDATE CONSTRAINT it in a later migration: validation takes a lock that lets reads and writes go on.",
                    LockMode.ShareRowExclusive,
                    $"validates a foreign key over {table}");
                break;
            case ConstraintKind.Check when !add.NotValid:
                check.Report(
                    LintRules.CheckWithoutNotValid,
                    $"ADD CHECK scans every row of {table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
                    "Add the constraint with NOT VALID (a catalog change), then VALIDATE CONSTRAINT it in a later migration: validation takes a lock that lets reads and writes go on.",
                    LockMode.AccessExclusive,
                    $"validates a check over {table}");
                break;
            case ConstraintKind.Unique or ConstraintKind.PrimaryKey or ConstraintKind.Exclude when !add.UsingIndex:
                UniqueWithoutIndex(check, table, add.Description);
                break;
        }
    }

    public static void UniqueWithoutIndex(StatementCheck check, ObjectName table, string what)
    {
        check.Report(
            LintRules.UniqueWithoutIndex,
            $"{what} builds an index over every row of {table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
            "Build the index first with CREATE UNIQUE INDEX CONCURRENTLY in a transaction:false section, then ADD CONSTRAINT name UNIQUE (or PRIMARY KEY) USING INDEX index_name, a catalog change.",
            LockMode.AccessExclusive,
            $"builds an index on {table}");
    }

    public static void Validate(StatementCheck check, ObjectName table, ValidateConstraint validate, TransactionGroup group)
    {
        if (group.NotValidAddedBy(table, validate.Name) is not { } added)
            return;
        check.LockNamedBy = added.Site;
        check.Report(
            LintRules.ValidateInSameTransaction,
            $"VALIDATE CONSTRAINT {validate.Name} runs in the transaction that added it NOT VALID ({added.Site.Where}), which still holds that statement's {LockModes.Describe(added.Mode).Name} lock on {table}: the validation scan runs under it and {LockModes.Describe(added.Mode).Blocks} wait until it ends.",
            "Validate in a later migration that runs in its own transaction (in single-transaction mode, behind a transaction:false section or in a later deploy).",
            added.Mode,
            $"validates {validate.Name} over {table}");
    }
}
