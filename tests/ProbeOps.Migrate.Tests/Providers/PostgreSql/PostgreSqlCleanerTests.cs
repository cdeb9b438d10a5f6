using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlCleanerTests
{
    private static PostgresServer Server => PostgresServer.Shared;

    private static readonly AuditEntry Entry = new(
        "d-1", AuditOperations.Upgrade, "deployer", "ci", "0.1.0",
        new DateTimeOffset(2025, 5, 14, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 5, 14, 0, 0, 1, TimeSpan.Zero),
        AuditOutcomes.Succeeded, "base", null);

    private static readonly AppliedRevision Base =
        new("base", [], "base", "sha256:aa", new DateTimeOffset(2025, 5, 14, 0, 0, 0, TimeSpan.Zero), "deployer", 1, "d-1");

    private static async Task CreateEverythingAsync(IDatabaseSession session, string schema)
    {
        await session.ExecAsync("CREATE EXTENSION citext");
        await session.ExecAsync("CREATE SCHEMA app");
        await session.ExecAsync("CREATE TABLE app.accounts (id serial PRIMARY KEY, email citext)");
        await session.ExecAsync($"CREATE TABLE \"{schema}\".users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account int REFERENCES app.accounts)");
        await session.ExecAsync($"CREATE VIEW \"{schema}\".\"odd \"\"view\" AS SELECT id FROM \"{schema}\".users");
        await session.ExecAsync($"CREATE MATERIALIZED VIEW \"{schema}\".user_count AS SELECT count(*) FROM \"{schema}\".users");
        await session.ExecAsync($"CREATE SEQUENCE \"{schema}\".invoice_numbers");
        await session.ExecAsync($"CREATE TYPE \"{schema}\".mood AS ENUM ('ok', 'meh')");
        await session.ExecAsync($"CREATE TYPE \"{schema}\".pair AS (a int, b int)");
        await session.ExecAsync($"CREATE DOMAIN \"{schema}\".positive AS int CHECK (VALUE > 0)");
        await session.ExecAsync($"CREATE TABLE \"{schema}\".moods (m \"{schema}\".mood, p \"{schema}\".positive)");
        await session.ExecAsync($"CREATE FUNCTION \"{schema}\".twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2");
        await session.ExecAsync($"CREATE FUNCTION \"{schema}\".twice(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN x || x");
        await session.ExecAsync($"CREATE PROCEDURE \"{schema}\".noop() LANGUAGE sql BEGIN ATOMIC SELECT 1; END");
        await session.ExecAsync($"CREATE AGGREGATE \"{schema}\".total(int) (SFUNC = int4pl, STYPE = int)");
        await session.ExecAsync($"CREATE FUNCTION \"{schema}\".stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$");
        await session.ExecAsync($"CREATE TRIGGER users_stamp BEFORE INSERT ON \"{schema}\".users FOR EACH ROW EXECUTE FUNCTION \"{schema}\".stamp()");
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync([Base], CancellationToken.None);
        await session.History.AppendAuditAsync(Entry, CancellationToken.None);
    }

    [Fact]
    public async Task Drop_all_leaves_only_the_audit_table_with_its_rows()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await CreateEverythingAsync(session, "public");
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));

        await session.Cleaner.DropAllAsync(CancellationToken.None);

        Assert.False(session.Executor.InTransaction);
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.Equal([Entry], await session.History.ReadAuditAsync(CancellationToken.None));
        Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Equal(
            "public.probeops_schema_history_audit",
            await session.ScalarAsync<string>(
                "SELECT string_agg(n.nspname || '.' || c.relname, ', ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"));
        Assert.Equal("plpgsql", await session.ScalarAsync<string>("SELECT string_agg(extname, ', ') FROM pg_extension"));
        Assert.False(await session.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'app')"));
        Assert.Equal("public", await session.ScalarAsync<string>("SELECT nspname::text FROM pg_namespace WHERE nspname = 'public'"));

        // The audit table keeps working after the reset.
        await session.History.AppendAuditAsync(Entry with { Operation = AuditOperations.Reset }, CancellationToken.None);
        Assert.Equal(2, (await session.History.ReadAuditAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Drop_all_with_a_history_schema_empties_it_and_public_but_keeps_both()
    {
        await using var db = await Server.CreateDatabaseAsync();
        var options = PostgreSqlTestSession.Options(new HistoryTableName("history", "ops"));
        await using var session = await PostgreSqlTestSession.OpenAsync(db, options);
        await session.ExecAsync("CREATE SCHEMA ops");
        await CreateEverythingAsync(session, "ops");
        await session.ExecAsync("CREATE TABLE public.leftover (id int)");
        await session.ExecAsync("CREATE SCHEMA \"Other Schema\"");
        await session.ExecAsync("CREATE TABLE \"Other Schema\".t (id int)");

        await session.Cleaner.DropAllAsync(CancellationToken.None);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.Equal([Entry], await session.History.ReadAuditAsync(CancellationToken.None));
        Assert.Equal(
            "ops, public",
            await session.ScalarAsync<string>(
                "SELECT string_agg(nspname, ', ' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"));
    }

    [Fact]
    public async Task Drop_all_on_an_empty_database_does_nothing_harmful()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        await session.Cleaner.DropAllAsync(CancellationToken.None);
        await session.Cleaner.DropAllAsync(CancellationToken.None);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Drop_all_inside_an_open_transaction_rolls_back_with_it()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await CreateEverythingAsync(session, "public");
        var before = await session.Inspector.ListUserObjectsAsync(CancellationToken.None);

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.Cleaner.DropAllAsync(CancellationToken.None);
        Assert.True(session.Executor.InTransaction);
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);

        Assert.Equal(before, await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));
    }
}
