using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Operations;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Drift;

/// <summary>
/// Keeps <c>&lt;history table&gt;_schema</c>: after every change the tool makes (deploy, upgrade,
/// downgrade, stamp, restore), the schema the database then has, with the history it goes with. Drift
/// compares against it when no shadow database can be had, which catches every change made since.
/// </summary>
public static class SchemaRecorder
{
    /// <summary>
    /// Reads the schema (privileges included, so a check with <c>--include-privileges</c> can use it too) and
    /// the history on <paramref name="session"/>, and puts them in place of the last record, in a transaction of
    /// its own. The change it records is committed already, so a failure is returned as a sentence, never thrown.
    /// </summary>
    public static async Task<string?> RecordAsync(MigrationContext context, IDatabaseSession session, string deployId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        if (session.SchemaReader is not { } reader)
        {
            return null;
        }

        try
        {
            var applied = await session.History.ReadAppliedAsync(cancellationToken);
            var read = await reader.ReadAsync(new SchemaReadOptions(IncludePrivileges: true), cancellationToken);
            await WriteRecordAsync(context, session, deployId, applied, read.Schema, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is MigrateException or StatementFailedException or InvalidOperationException)
        {
            return Problem(context, ex);
        }
    }

    /// <summary>
    /// <see cref="RecordAsync(OperationScope, IDatabaseSession?, CancellationToken)"/> with the history and the schema
    /// (privileges included) the caller has just read on the scope's session; a failure is told to the observer.
    /// </summary>
    public static async Task RecordAsync(OperationScope scope, IReadOnlyList<AppliedRevision> applied, DatabaseSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            await WriteRecordAsync(scope.Context, scope.Session, scope.Options.DeployId, applied, schema, cancellationToken);
        }
        catch (Exception ex) when (ex is MigrateException or StatementFailedException or InvalidOperationException)
        {
            scope.Context.Observer.Notice(Problem(scope.Context, ex));
        }
    }

    private static string Problem(MigrationContext context, Exception ex) =>
        $"The schema could not be recorded in {context.Settings.History.SchemaTable} ({ex.Message}); " +
        "without a shadow database the next drift check has nothing to compare against.";

    private static async Task WriteRecordAsync(
        MigrationContext context, IDatabaseSession session, string deployId, IReadOnlyList<AppliedRevision> applied, DatabaseSchema schema, CancellationToken cancellationToken)
    {
        var hash = RecordedSchema.HashOf(applied);
        var snapshot = new SchemaSnapshot
        {
            Format = SchemaSnapshot.FormatName,
            Version = SchemaSnapshot.CurrentVersion,
            Tool = ToolInfo.Version,
            ServerVersion = session.ServerVersion,
            Heads = HistoryCheck.HeadsOfHistory(applied),
            RevisionCount = applied.Count,
            MigrationsHash = hash,
            Schema = schema,
        };
        var record = new RecordedSchema(context.Time.GetUtcNow(), deployId, hash, session.ServerVersion, SchemaJson.Write(snapshot));
        await WriteAsync(session, new HistorySql(context.Provider.Dialect, context.Settings.History).ReplaceSchemaRecord(record), cancellationToken);
    }

    /// <summary><see cref="RecordAsync"/> on a verb's session and run; a failure is told to the observer.</summary>
    public static async Task RecordAsync(OperationScope scope, IDatabaseSession? session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (await RecordAsync(scope.Context, session ?? scope.Session, scope.Options.DeployId, cancellationToken) is { } problem)
        {
            scope.Context.Observer.Notice(problem);
        }
    }

    private static async Task WriteAsync(IDatabaseSession session, IReadOnlyList<Files.SqlStatement> statements, CancellationToken cancellationToken)
    {
        await session.Executor.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var statement in statements)
            {
                await session.Executor.ExecuteAsync(statement, cancellationToken);
            }

            await session.Executor.CommitAsync(cancellationToken);
        }
        catch
        {
            await session.Executor.RollbackAsync(CancellationToken.None);
            throw;
        }
    }
}
