using ProbeOps.Migrate.Lint.Recognition;

namespace ProbeOps.Migrate.Lint.Rules;

/// <summary>
/// PL191: a repeatable migration runs again every time it changes, on a database that already holds what its last
/// version created, and for the first time on a new database. Each statement must work in both. One instance reads
/// one repeatable migration, remembering what it dropped with <c>IF EXISTS</c> (a <c>CREATE</c> after that is safe).
/// </summary>
internal sealed class RerunCheck
{
    private static readonly HashSet<string> Replaceable = ["VIEW", "FUNCTION", "PROCEDURE", "TRIGGER", "RULE", "AGGREGATE", "LANGUAGE", "TRANSFORM"];

    private readonly HashSet<(string Kind, string Name)> _dropped = [];

    public void Check(StatementCheck check)
    {
        if (RerunReader.Dropped(check.Tokens) is { } dropped)
        {
            CheckDrop(check, dropped);
            return;
        }

        if (RerunReader.Created(check.Tokens) is { } created)
            CheckCreate(check, created);
        else if (check.Statement is AlterTable alter)
            CheckAddColumn(check, alter);
    }

    private void CheckDrop(StatementCheck check, DroppedObjects dropped)
    {
        foreach (var name in dropped.Names)
            _dropped.Add((dropped.Kind, name.Name));
        if (dropped.IfExists)
            return;
        Report(
            check,
            $"DROP {dropped.Kind} without IF EXISTS fails where the object does not exist: on a new database, where this repeatable runs for the first time.",
            $"Write DROP {dropped.Kind} IF EXISTS.");
    }

    private void CheckCreate(StatementCheck check, CreatedObject created)
    {
        var kind = created.Kind;
        if (created.Name is not { } name)
        {
            Report(check, $"CREATE {kind} without a name creates another {kind.ToLowerInvariant()} each time this repeatable runs.", $"Name it, and write CREATE {kind} IF NOT EXISTS name.");
            return;
        }

        var droppedFirst = _dropped.Contains((kind, name.Name));
        if (created.OrReplace || droppedFirst || (created.IfNotExists && kind != "MATERIALIZED VIEW"))
            return;
        if (kind == "MATERIALIZED VIEW")
        {
            Report(
                check,
                $"CREATE MATERIALIZED VIEW {name} fails when this repeatable runs again (or, with IF NOT EXISTS, keeps the old definition): it already exists.",
                $"Write DROP MATERIALIZED VIEW IF EXISTS {name}; above it, so each run builds the current definition.");
            return;
        }

        var fix = Replaceable.Contains(kind) ? $"Write CREATE OR REPLACE {kind} {name} (a view whose columns change needs DROP VIEW IF EXISTS {name}; above it)."
            : kind is "TABLE" or "INDEX" or "SEQUENCE" or "SCHEMA" or "EXTENSION" or "FOREIGN TABLE" or "SERVER" or "COLLATION" or "STATISTICS"
                ? $"Write CREATE {kind} IF NOT EXISTS {name}, or DROP {kind} IF EXISTS {name}; above it."
                : $"Write DROP {kind} IF EXISTS {name}; above it, or create it in a revision: a repeatable holds code that is replaced whole.";
        Report(check, $"CREATE {kind} {name} fails when this repeatable runs again: {name} already exists from its last run.", fix);
    }

    private static void CheckAddColumn(StatementCheck check, AlterTable alter)
    {
        foreach (var add in alter.Actions.OfType<AddColumn>())
        {
            if (add.Description.ToString().Contains("IF NOT EXISTS", StringComparison.OrdinalIgnoreCase))
                continue;
            Report(
                check,
                $"ALTER TABLE {alter.Table} ADD COLUMN {add.Column.Name} fails when this repeatable runs again: the column already exists.",
                $"Write ADD COLUMN IF NOT EXISTS, or better add the column in a revision: a repeatable holds code that is replaced whole.");
            return;
        }
    }

    private static void Report(StatementCheck check, string message, string fix) =>
        check.Report(LintRules.RepeatableNotRerunnable, message, fix, LockMode.None);
}
