namespace ProbeOps.Migrate.Lint;

/// <summary>One lint rule: its stable code, default severity, a title, and its section of <c>docs/lint.md</c>.</summary>
/// <param name="Code">A stable code, <c>PL</c> and three digits; never reused for another rule.</param>
/// <param name="DefaultSeverity">The severity before configuration and context change it.</param>
/// <param name="Title">A short name of what the rule catches.</param>
public sealed record LintRule(string Code, LintSeverity DefaultSeverity, string Title)
{
    /// <summary>The anchor of the rule's section in <c>docs/lint.md</c> (the code in lower case).</summary>
    public string Anchor => Code.ToLowerInvariant();

    /// <summary>The rule's documentation, relative to the repository root.</summary>
    public string DocsLink => "docs/lint.md#" + Anchor;
}

/// <summary>The catalogue of lint rules (SPEC §10); <c>docs/lint.md</c> has one section per code.</summary>
public static class LintRules
{
    /// <summary>The server lint assumes when it knows none: the oldest release the PostgreSQL project still maintains.</summary>
    public static Version OldestSupportedServer { get; } = new(13, 0);

    public static LintRule SuppressionWithoutReason { get; } = new("PL001", LintSeverity.Error, "lint:ignore without a reason or with an unknown code");

    public static LintRule IndexWithoutConcurrently { get; } = new("PL101", LintSeverity.Error, "CREATE INDEX without CONCURRENTLY on an existing table");

    public static LintRule DropIndexWithoutConcurrently { get; } = new("PL102", LintSeverity.Warning, "DROP INDEX without CONCURRENTLY");

    public static LintRule ReindexWithoutConcurrently { get; } = new("PL103", LintSeverity.Error, "REINDEX without CONCURRENTLY");

    public static LintRule ConcurrentIndexNotRetryable { get; } = new("PL104", LintSeverity.Warning, "CREATE INDEX CONCURRENTLY that cannot run again after a failure");

    public static LintRule VolatileDefault { get; } = new("PL111", LintSeverity.Error, "ADD COLUMN with a volatile default rewrites the table");

    public static LintRule DefaultBeforeEleven { get; } = new("PL112", LintSeverity.Error, "ADD COLUMN with a default rewrites the table before PostgreSQL 11");

    public static LintRule GeneratedColumn { get; } = new("PL113", LintSeverity.Error, "ADD COLUMN serial, identity or stored generated rewrites the table");

    public static LintRule NotNullWithoutDefault { get; } = new("PL114", LintSeverity.Error, "ADD COLUMN NOT NULL without a default fails on a table with rows");

    public static LintRule SetNotNull { get; } = new("PL121", LintSeverity.Error, "SET NOT NULL without a validated CHECK (col IS NOT NULL)");

    public static LintRule ForeignKeyWithoutNotValid { get; } = new("PL122", LintSeverity.Error, "ADD FOREIGN KEY without NOT VALID");

    public static LintRule CheckWithoutNotValid { get; } = new("PL123", LintSeverity.Error, "ADD CHECK without NOT VALID");

    public static LintRule ValidateInSameTransaction { get; } = new("PL124", LintSeverity.Error, "VALIDATE CONSTRAINT in the transaction that added it NOT VALID");

    public static LintRule UniqueWithoutIndex { get; } = new("PL125", LintSeverity.Error, "ADD UNIQUE or PRIMARY KEY without USING INDEX");

    public static LintRule TypeChangeRewrites { get; } = new("PL131", LintSeverity.Error, "ALTER COLUMN TYPE that rewrites the table");

    public static LintRule VacuumFull { get; } = new("PL141", LintSeverity.Error, "VACUUM FULL");

    public static LintRule Cluster { get; } = new("PL142", LintSeverity.Error, "CLUSTER");

    public static LintRule TableRewrite { get; } = new("PL143", LintSeverity.Error, "SET LOGGED, SET UNLOGGED, SET TABLESPACE or SET ACCESS METHOD rewrites the table");

    public static LintRule Truncate { get; } = new("PL144", LintSeverity.Warning, "TRUNCATE");

    public static LintRule DropTable { get; } = new("PL151", LintSeverity.Warning, "DROP TABLE");

    public static LintRule DropColumn { get; } = new("PL152", LintSeverity.Warning, "DROP COLUMN");

    public static LintRule Rename { get; } = new("PL153", LintSeverity.Warning, "RENAME of a table or column");

    public static LintRule EnumValueUsedInTransaction { get; } = new("PL161", LintSeverity.Error, "enum value used in the transaction that adds it");

    public static LintRule EnumValueInTransactionBeforeTwelve { get; } = new("PL162", LintSeverity.Error, "ALTER TYPE ... ADD VALUE in a transaction before PostgreSQL 12");

    public static LintRule LockHeldByRun { get; } = new("PL171", LintSeverity.Error, "strong lock held while a later long statement of the same transaction runs");

    public static LintRule UnboundedDataChange { get; } = new("PL181", LintSeverity.Warning, "UPDATE, DELETE, INSERT ... SELECT or MERGE of every row of an existing table in one transaction");

    public static LintRule UnboundedBackfill { get; } = new("PL182", LintSeverity.Error, "backfill statement that does not bound the rows one run changes");

    public static LintRule RepeatableNotRerunnable { get; } = new("PL191", LintSeverity.Error, "repeatable migration statement that fails when run again");

    /// <summary>Every rule, by code.</summary>
    public static IReadOnlyList<LintRule> All { get; } =
    [
        SuppressionWithoutReason, IndexWithoutConcurrently, DropIndexWithoutConcurrently, ReindexWithoutConcurrently,
        ConcurrentIndexNotRetryable, VolatileDefault, DefaultBeforeEleven, GeneratedColumn, NotNullWithoutDefault,
        SetNotNull, ForeignKeyWithoutNotValid, CheckWithoutNotValid, ValidateInSameTransaction, UniqueWithoutIndex,
        TypeChangeRewrites, VacuumFull, Cluster, TableRewrite, Truncate, DropTable, DropColumn, Rename,
        EnumValueUsedInTransaction, EnumValueInTransactionBeforeTwelve, LockHeldByRun, UnboundedDataChange,
        UnboundedBackfill, RepeatableNotRerunnable,
    ];

    /// <summary>The rule with this code (any case), or null.</summary>
    public static LintRule? Find(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        foreach (var rule in All)
        {
            if (rule.Code.Equals(code, StringComparison.OrdinalIgnoreCase))
                return rule;
        }

        return null;
    }
}
