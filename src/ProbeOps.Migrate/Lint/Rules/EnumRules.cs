using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>PL161, PL162: enum values added inside a transaction.</summary>
internal static class EnumRules
{
    public static void Check(StatementCheck check, TransactionGroup group)
    {
        if (check.Statement is AddEnumValue add)
        {
            if (check.InTransaction && check.ServerBefore(12))
            {
                check.Report(
                    LintRules.EnumValueInTransactionBeforeTwelve,
                    $"Before PostgreSQL 12, ALTER TYPE {add.Type} ADD VALUE cannot run inside a transaction block (the server is {check.Scope.Server.ToString(2)}): the migration fails.",
                    "Put the ALTER TYPE ... ADD VALUE in a `-- migrate:upgrade transaction:false` section.",
                    LockMode.None);
            }

            return;
        }

        if (!group.HasEnumValues || !check.InTransaction)
            return;
        var tokens = check.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens.StringValue(i) is not { } value || group.EnumValueAddedBy(value) is not { } added)
                continue;
            check.Report(
                LintRules.EnumValueUsedInTransaction,
                $"'{value}' was added to enum {added.Type} by {added.Site.Where} in the same transaction: PostgreSQL refuses to use a new enum value before the transaction that adds it commits (error 55P04).",
                "Add the value in a migration that commits first: give the ALTER TYPE ... ADD VALUE a `transaction:false` section (which also ends a shared single transaction), or deploy it before the migration that uses it.",
                LockMode.None);
            return;
        }
    }
}
