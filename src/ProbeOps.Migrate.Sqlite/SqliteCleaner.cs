using System.Globalization;
using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Providers.Sqlite;

/// <summary>
/// Drops every user object, the history table and the recorded schema in one transaction, keeping the audit table and its rows.
/// </summary>
/// <remarks>
/// Foreign keys must not get in the way: a table referenced by another cannot be dropped first while they
/// are enforced. Outside a transaction enforcement is switched off for the duration (the pragma is a no-op
/// inside one) and restored afterwards; inside the caller's transaction the checks are deferred to its
/// commit instead, by which time no rows are left to violate them.
/// </remarks>
internal sealed class SqliteCleaner(
    SqliteConnection connection,
    SqliteExecutor executor,
    SqliteInspector inspector,
    HistoryTableName history) : IDatabaseCleaner
{
    public async Task DropAllAsync(CancellationToken cancellationToken)
    {
        if (executor.InTransaction)
        {
            if (await ForeignKeysOnAsync(cancellationToken))
            {
                await executor.ExecuteAsync(Pragma("defer_foreign_keys = ON"), cancellationToken);
            }

            await executor.RunAtomicallyAsync(DropEverythingAsync, cancellationToken);
            return;
        }

        var foreignKeys = await ForeignKeysOnAsync(cancellationToken);
        if (foreignKeys)
        {
            await executor.ExecuteAsync(Pragma("foreign_keys = OFF"), cancellationToken);
        }

        try
        {
            await executor.RunAtomicallyAsync(DropEverythingAsync, cancellationToken);
        }
        finally
        {
            if (foreignKeys)
            {
                await executor.ExecuteAsync(Pragma("foreign_keys = ON"), CancellationToken.None);
            }
        }
    }

    private async Task DropEverythingAsync(CancellationToken cancellationToken)
    {
        // Views and triggers first (nothing depends on them), then virtual tables (which take their shadow
        // tables with them), then what is left; indexes and triggers of a table go with the table.
        var objects = await inspector.ListObjectsAsync(cancellationToken);
        foreach (var item in objects)
        {
            if (item.Type is "view" or "trigger")
            {
                await DropAsync(item, cancellationToken);
            }
        }

        foreach (var item in objects)
        {
            if (item.IsVirtualTable)
            {
                await DropAsync(item, cancellationToken);
            }
        }

        foreach (var item in await inspector.ListObjectsAsync(cancellationToken))
        {
            await DropAsync(item, cancellationToken);
        }

        foreach (var table in new[] { history.Table, history.SchemaTable, history.RepeatableTable })
        {
            await executor.ExecuteAsync(new SqlStatement("DROP TABLE IF EXISTS " + SqliteDialect.Instance.QuoteIdentifier(table), 0), cancellationToken);
        }
    }

    private Task DropAsync(SqliteInspector.SchemaObject item, CancellationToken cancellationToken)
    {
        var keyword = item.Type.ToUpperInvariant();
        return executor.ExecuteAsync(
            new SqlStatement($"DROP {keyword} IF EXISTS {SqliteDialect.Instance.QuoteIdentifier(item.Name)}", 0),
            cancellationToken);
    }

    private async Task<bool> ForeignKeysOnAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) != 0;
    }

    private static SqlStatement Pragma(string text) => new("PRAGMA " + text, 0);
}
