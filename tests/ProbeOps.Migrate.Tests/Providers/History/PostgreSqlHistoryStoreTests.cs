using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Infrastructure;
using ProbeOps.Migrate.Tests.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Providers.History;

public sealed class PostgreSqlHistoryStoreTests : HistoryStoreTests, IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.Shared.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    protected override ISqlDialect Dialect => SqlDialects.PostgreSql;

    protected override string DuplicateKeyState => "23505";

    protected override bool LegacyTableKeptRowOrder => false;

    protected override string LegacyHistoryTable => """
        CREATE TABLE IF NOT EXISTS "public"."probeops_schema_history" (
            revision text PRIMARY KEY,
            parents text NOT NULL,
            message text,
            checksum text NOT NULL,
            applied_at timestamptz NOT NULL,
            applied_by text NOT NULL,
            execution_ms bigint NOT NULL,
            deploy_id text NOT NULL
        )
        """;

    protected override string[] HistoryColumns =>
        ["revision", "parents", "message", "checksum", "applied_at", "applied_by", "execution_ms", "deploy_id", "id", "backfill_statement"];

    protected override async Task<IDatabaseSession> OpenAsync(HistoryTableName? history = null) =>
        await PostgreSqlTestSession.OpenAsync(_database, PostgreSqlTestSession.Options(history));

    protected override async Task<string[]> HistoryColumnsAsync()
    {
        await using var session = await PostgreSqlTestSession.OpenAsync(_database);
        var columns = await session.ScalarAsync<string>(
            "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.probeops_schema_history'::regclass AND attnum > 0 AND NOT attisdropped");
        return columns!.Split(',');
    }

    [Fact]
    public async Task Rows_written_in_a_committed_transaction_are_seen_by_other_sessions()
    {
        await using var session = await PostgreSqlTestSession.OpenAsync(_database);
        await using var other = await PostgreSqlTestSession.OpenAsync(_database);

        await session.Executor.BeginTransactionAsync(Ct);
        await session.History.EnsureCreatedAsync(Ct);
        await session.History.RecordAppliedAsync([Row("base", 0)], Ct);
        Assert.Single(await session.History.ReadAppliedAsync(Ct));
        Assert.Empty(await other.History.ReadAppliedAsync(Ct));
        await session.Executor.CommitAsync(Ct);

        AssertRows([Row("base", 0)], await other.History.ReadAppliedAsync(Ct));
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_no_history_relation_behind()
    {
        await using var session = await PostgreSqlTestSession.OpenAsync(_database);

        await session.Executor.BeginTransactionAsync(Ct);
        await session.History.EnsureCreatedAsync(Ct);
        await session.Executor.RollbackAsync(Ct);

        Assert.Null(await session.ScalarAsync<string>("SELECT to_regclass('probeops_schema_history')::text"));
    }

    [Fact]
    public async Task Tables_live_in_the_configured_schema_even_with_quotes_in_the_name()
    {
        await using var session = await PostgreSqlTestSession.OpenAsync(_database, PostgreSqlTestSession.Options(new HistoryTableName("we\"ird history", "Ops")));

        await session.History.EnsureCreatedAsync(Ct);
        await session.History.AppendAuditAsync(Audit(AuditOperations.Upgrade, AuditOutcomes.Succeeded, null), Ct);

        Assert.Equal(
            "\"we\"\"ird history\", \"we\"\"ird history_audit\"",
            await session.ScalarAsync<string>("SELECT string_agg(quote_ident(relname), ', ' ORDER BY relname) FROM pg_class WHERE relnamespace = '\"Ops\"'::regnamespace AND relkind = 'r'"));
    }
}
