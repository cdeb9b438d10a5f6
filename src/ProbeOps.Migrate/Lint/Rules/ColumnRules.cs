using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>PL111-PL114, PL121, PL131: new columns, NOT NULL and type changes on an existing table.</summary>
internal static class ColumnRules
{
    private const string Backfill = "fill existing rows in batches in a `-- migrate:backfill` section (SPEC §11)";

    public static void AddColumn(StatementCheck check, ObjectName table, ColumnDefinition column)
    {
        var rewrite = $"rewrites every row of {table}";
        if (column.Default == DefaultKind.Volatile)
        {
            check.Report(
                LintRules.VolatileDefault,
                $"ADD COLUMN {column.Name} with DEFAULT {column.VolatileFunction}() {rewrite} under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.",
                $"Add the column without a default, then SET DEFAULT {column.VolatileFunction}() for new rows, and {Backfill}.",
                LockMode.AccessExclusive,
                rewrite);
        }
        else if (column.Serial || column.Identity || column.StoredGenerated)
        {
            var what = column.Serial ? column.Type!.Name : column.Identity ? "an identity column" : "a stored generated column";
            check.Report(
                LintRules.GeneratedColumn,
                $"ADD COLUMN {column.Name} as {what} {rewrite} under an ACCESS EXCLUSIVE lock to fill the column: reads and writes wait until it ends.",
                $"Add a plain nullable column, attach a sequence default (or the expression) for new rows, {Backfill}, then add the constraint.",
                LockMode.AccessExclusive,
                rewrite);
        }
        else if (column.Default == DefaultKind.Stable && check.ServerBefore(11))
        {
            check.Report(
                LintRules.DefaultBeforeEleven,
                $"Before PostgreSQL 11, ADD COLUMN {column.Name} with a DEFAULT {rewrite} under an ACCESS EXCLUSIVE lock (the server is {check.Scope.Server.ToString(2)}).",
                $"Add the column without a default, then SET DEFAULT for new rows, and {Backfill}; or upgrade the server to 11 or later.",
                LockMode.AccessExclusive,
                rewrite);
        }

        var filled = column.Default is DefaultKind.Stable or DefaultKind.Volatile || column.Serial || column.Identity || column.StoredGenerated;
        if (column.NotNull && !filled)
        {
            check.Report(
                LintRules.NotNullWithoutDefault,
                $"ADD COLUMN {column.Name} NOT NULL without a default fails as soon as {table} holds a row: the existing rows would hold NULL.",
                "Add the column with a constant DEFAULT (a catalog change from PostgreSQL 11), or add it nullable, backfill it, and SET NOT NULL behind a validated CHECK.",
                LockMode.AccessExclusive);
        }

        if (column.UniqueOrPrimaryKey)
            ConstraintRules.UniqueWithoutIndex(check, table, $"ADD COLUMN {column.Name} ... UNIQUE/PRIMARY KEY");
    }

    public static void SetNotNull(StatementCheck check, ObjectName table, string column)
    {
        var proven = check.Model.Table(table)?.ProvenNotNull.TryGetValue(column, out var by) == true && check.Scope.Precedes(by!);
        if (proven && !check.ServerBefore(12))
            return;
        var message = proven
            ? $"Before PostgreSQL 12, SET NOT NULL on {table}.{column} scans the whole table under an ACCESS EXCLUSIVE lock even with a validated CHECK: reads and writes wait until it ends."
            : $"SET NOT NULL on {table}.{column} scans the whole table under an ACCESS EXCLUSIVE lock to check every row: reads and writes wait until it ends.";
        check.Report(
            LintRules.SetNotNull,
            message,
            $"First ADD CONSTRAINT ... CHECK ({column} IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it in an earlier migration; then SET NOT NULL skips the scan (PostgreSQL 12+), and the check can be dropped.",
            LockMode.AccessExclusive,
            $"scans {table} to check {column}");
    }

    public static void ChangeType(StatementCheck check, ObjectName table, AlterColumnType change)
    {
        ColumnType? old = null;
        var known = check.Model.Table(table)?.Columns.TryGetValue(change.Column, out old) == true && old is not null;
        var cost = change.HasUsing ? TypeChangeCost.Rewrite
            : change.NewType is null || !known ? TypeChangeCost.Unknown
            : ColumnType.Change(old, change.NewType);
        if (cost == TypeChangeCost.CatalogOnly)
            return;

        var target = change.NewType?.ToString() ?? "a new type";
        var message = cost == TypeChangeCost.Rewrite
            ? $"ALTER COLUMN {change.Column} TYPE {target}{(known ? $" (from {old})" : "")} rewrites every row of {table} and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends."
            : $"ALTER COLUMN {change.Column} TYPE {target}: the column's current type is unknown to lint, and most type changes rewrite {table} under an ACCESS EXCLUSIVE lock.";
        check.Report(
            LintRules.TypeChangeRewrites,
            message,
            $"Add a new column of the new type, {Backfill}, switch the application to it, then drop the old column. Growing a varchar length or a numeric precision at the same scale, or varchar to text, needs no rewrite.",
            LockMode.AccessExclusive,
            cost == TypeChangeCost.Rewrite ? $"rewrites {table}" : null,
            cost == TypeChangeCost.Unknown ? LintSeverity.Warning : null);
    }
}
