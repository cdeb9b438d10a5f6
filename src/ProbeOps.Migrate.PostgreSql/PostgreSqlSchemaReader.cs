using System.Data;
using Npgsql;
using ProbeOps.Migrate.Alembic;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>
/// Reads a PostgreSQL schema from <c>pg_catalog</c>: the queries of
/// <see cref="PostgreSqlSchemaQueries"/> go to the server as one batch in one
/// <c>REPEATABLE READ READ ONLY</c> transaction with <c>search_path</c> set to <c>''</c>, and the
/// rows are joined by OID in memory. The cost is one round trip whatever the number of tables.
/// </summary>
public sealed class PostgreSqlSchemaReader : ISchemaReader
{
    private readonly PostgreSqlSession _session;

    internal PostgreSqlSchemaReader(PostgreSqlSession session)
    {
        _session = session;
    }

    public async Task<SchemaReadResult> ReadAsync(SchemaReadOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_session.Executor.InTransaction)
        {
            throw new InvalidOperationException("The schema is read in a transaction of its own: commit or roll back the open one first.");
        }

        var queries = Queries(_session.ServerVersionNumber, options.IncludePrivileges);
        var connection = _session.Connection;
        await using var batch = NewBatch(connection, queries);
        var rows = new PostgreSqlCatalogRows();
        try
        {
            await using (var results = await batch.ExecuteReaderAsync(cancellationToken))
            {
                // set_config's row.
                await SkipAsync(results, cancellationToken);
                await rows.ReadAsync(results, options.IncludePrivileges, cancellationToken);
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            await RollBackAsync(connection);
            var failure = PostgreSqlExecutor.Map(e, connection);
            throw new MigrateException(
                failure.IsConnectionLost ? FailureKind.DatabaseUnreachable : FailureKind.Internal,
                $"Reading the schema of {_session.Target.Display} failed: {failure.Message}",
                e);
        }
        catch
        {
            await RollBackAsync(connection);
            throw;
        }

        var schema = new PostgreSqlSchemaModelBuilder(rows, options.IncludePrivileges).Build(_session.ServerVersionNumber / 10000);
        return new SchemaReadResult(schema, RoundTrips: 1, Queries: queries.Count);
    }

    public async Task<RecordedSchema?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        var sql = _session.HistorySql;
        var executor = (PostgreSqlExecutor)_session.Executor;
        var exists = await executor.QuerySingleAsync($"SELECT to_regclass({PostgreSqlSyntax.QuoteLiteral(sql.SchemaTable)}) IS NOT NULL", r => r.GetBoolean(0), cancellationToken);
        if (!exists)
        {
            return null;
        }

        var rows = await executor.QueryAsync(
            sql.SelectSchemaRecord().Text,
            r => new RecordedSchema(
                DateTimeOffset.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The catalog queries, in the order their result sets are read.</summary>
    private static List<string> Queries(int version, bool privileges)
    {
        var queries = new List<string>
        {
            PostgreSqlSchemaQueries.Schemas,
            PostgreSqlSchemaQueries.Extensions,
            PostgreSqlSchemaQueries.Relations,
            PostgreSqlSchemaQueries.Sequences,
            PostgreSqlSchemaQueries.Columns,
            PostgreSqlSchemaQueries.Constraints,
            PostgreSqlSchemaQueries.Indexes(version),
            PostgreSqlSchemaQueries.Triggers(version),
            PostgreSqlSchemaQueries.Policies,
            PostgreSqlSchemaQueries.Routines,
            PostgreSqlSchemaQueries.Types,
            PostgreSqlSchemaQueries.Comments,
        };
        if (privileges)
        {
            queries.Add(PostgreSqlSchemaQueries.Privileges);
            queries.Add(PostgreSqlSchemaQueries.Roles);
        }

        return queries;
    }

    /// <summary>Every query in one read-only snapshot, one round trip.</summary>
    private NpgsqlBatch NewBatch(NpgsqlConnection connection, List<string> queries)
    {
        var history = _session.HistorySql;
        var batch = new NpgsqlBatch(connection);

        // One snapshot for every query; the first statement returns a row, so each query's result set is the next one.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
        // JIT would spend more compiling these catalog queries (their estimates are large) than running them.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', '', true), pg_catalog.set_config('jit', 'off', true)"));
        foreach (var query in queries)
        {
            var command = new NpgsqlBatchCommand(query);
            if (ReferenceEquals(query, PostgreSqlSchemaQueries.Relations))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = PostgreSqlSyntax.SchemaOf(history) });
                // Alembic's version table of an adopted database is another tool's record, not part of the schema (SPEC §13).
                command.Parameters.Add(new NpgsqlParameter { Value = (string[])[.. history.History.OwnTables, AlembicAdoption.VersionTable] });
            }

            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        return batch;
    }

    private static async Task SkipAsync(NpgsqlDataReader results, CancellationToken cancellationToken)
    {
        while (await results.ReadAsync(cancellationToken))
        {
        }
    }

    /// <summary>After a failed batch the transaction may be open and aborted; end it so the session stays usable.</summary>
    private static async Task RollBackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand("ROLLBACK") } };
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection is gone; the server has rolled back already.
        }
    }
}
