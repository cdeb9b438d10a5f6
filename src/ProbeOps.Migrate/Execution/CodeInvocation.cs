using System.Data.Common;
using ProbeOps.Migrate.Code;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Execution;

/// <summary>
/// Calls a code migration's methods on the migration session. Whatever the code throws becomes a
/// <see cref="StatementFailedException"/>, so a failing class rolls back and reports like a failing statement (exit 8).
/// </summary>
internal static class CodeInvocation
{
    /// <summary>Runs the section of <paramref name="direction"/> of a code revision.</summary>
    public static Task RunAsync(
        IDatabaseSession session, MigrationFile file, MigrationDirection direction, Action<string> log, CancellationToken cancellationToken)
    {
        var code = file.Code!;
        var context = new CodeMigrationContext(new SessionView(session, log), file.Revision, cancellationToken);
        return GuardAsync(
            async () =>
            {
                await (direction == MigrationDirection.Upgrade ? code.UpgradeAsync(context) : code.DowngradeAsync(context));
                return 0L;
            },
            cancellationToken);
    }

    /// <summary>Runs one batch of backfill <paramref name="index"/> (0-based) in the caller's open transaction.</summary>
    public static Task<long> RunBatchAsync(
        IDatabaseSession session, MigrationFile file, int index, Action<string> log, CancellationToken cancellationToken)
    {
        var context = new CodeMigrationContext(new SessionView(session, log), file.Revision, cancellationToken);
        return GuardAsync(() => file.Code!.Backfills[index].RunBatchAsync(context), cancellationToken);
    }

    private static async Task<long> GuardAsync(Func<Task<long>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not (StatementFailedException or MigrateException)
                                  && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var state = (e as DbException)?.SqlState;
            var message = e is DbException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            throw new StatementFailedException(message, e) { SqlState = state, IsLockTimeout = state == "55P03" };
        }
    }

    private sealed class SessionView(IDatabaseSession session, Action<string> log) : ICodeSession
    {
        public string Provider => session.Target.Provider;

        public DbConnection? Connection => session.Connection;

        public DbTransaction? Transaction => session.Executor.Transaction;

        public Task<long> ExecuteAsync(string sql, CancellationToken cancellationToken) =>
            session.Executor.ExecuteCountingAsync(new SqlStatement(sql, 1), cancellationToken);

        public void Log(string message) => log(message);
    }
}
