namespace ProbeOps.Migrate.Code;

/// <summary>
/// A revision written in C#, declared with <see cref="RevisionAttribute"/> and registered through
/// <see cref="CodeMigrations"/>. It joins the same revision graph as the <c>.sql</c> files: it can be the parent or
/// the child of one, is recorded in the history and the audit log, runs under the migration lock and, by default,
/// in the run's single transaction with the SQL revisions around it. Only the library runs it: the command-line
/// tool cannot load code.
/// </summary>
public abstract class CodeMigration
{
    /// <summary>
    /// Applies the change. Runs inside the run's transaction unless <see cref="Transactional"/> is false; an
    /// exception rolls that transaction back, with the SQL revisions of the same group.
    /// </summary>
    public abstract Task UpgradeAsync(CodeMigrationContext context);

    /// <summary>
    /// Reverts the change. A class that does not override it is irreversible, as a file without a
    /// <c>-- migrate:downgrade</c> section: <c>downgrade</c> past it refuses.
    /// </summary>
    public virtual Task DowngradeAsync(CodeMigrationContext context) =>
        throw new NotSupportedException($"{GetType().Name} has no downgrade.");

    /// <summary>False runs the upgrade (and downgrade) outside any transaction, as <c>transaction:false</c> does.</summary>
    public virtual bool Transactional => true;

    /// <summary>
    /// Batched data changes that run after the upgrade has committed (SPEC §11): each one again and again, each
    /// batch in its own short transaction, until a batch changes no row; resumed by the next run after a failure.
    /// </summary>
    public virtual IReadOnlyList<CodeBackfill> Backfills => [];

    /// <summary>Whether this class overrides <see cref="DowngradeAsync"/>.</summary>
    internal bool IsReversible
    {
        get
        {
            // A delegate to a virtual method binds to the override: its declaring type tells which one runs.
            Func<CodeMigrationContext, Task> downgrade = DowngradeAsync;
            return downgrade.Method.DeclaringType != typeof(CodeMigration);
        }
    }
}

/// <summary>One batched data change of a <see cref="CodeMigration"/>.</summary>
/// <param name="Description">What it does, for progress, reports and errors.</param>
/// <param name="RunBatchAsync">
/// Changes one bounded batch of rows inside the batch's transaction and returns how many it changed; the batches
/// repeat until one returns 0, so it must find its own remaining rows.
/// </param>
public sealed record CodeBackfill(string Description, Func<CodeMigrationContext, Task<long>> RunBatchAsync)
{
    /// <summary>The wait between two batches (as <c>pause:DURATION</c>).</summary>
    public TimeSpan Pause { get; init; }

    /// <summary>A backfill of one bounded SQL statement, run again and again until it changes no row.</summary>
    public static CodeBackfill Sql(string sql) => new(sql, context => context.ExecuteAsync(sql));
}
