using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Tests.Infrastructure;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlInspectorTests
{
    private static PostgresServer Server => PostgresServer.Shared;

    private static readonly AppliedRevision Base =
        new("base", [], "base", "sha256:aa", new DateTimeOffset(2025, 5, 14, 0, 0, 0, TimeSpan.Zero), "deployer", 1, "d-1");

    [Fact]
    public async Task A_new_database_is_empty()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task History_and_audit_tables_alone_do_not_make_a_database_unversioned()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.AppendAuditAsync(
            new AuditEntry("d", AuditOperations.Reset, "u", "h", "v", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, AuditOutcomes.Succeeded, "", null),
            CancellationToken.None);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task User_objects_without_history_make_it_unversioned_and_are_listed_sorted()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE SCHEMA app");
        await session.ExecAsync("CREATE TABLE app.users (id serial PRIMARY KEY, email text)");
        await session.ExecAsync("CREATE VIEW public.user_emails AS SELECT email FROM app.users");
        await session.ExecAsync("CREATE MATERIALIZED VIEW app.user_count AS SELECT count(*) FROM app.users");
        await session.ExecAsync("CREATE SEQUENCE public.invoice_numbers");
        await session.ExecAsync("CREATE TYPE app.mood AS ENUM ('ok', 'meh')");
        await session.ExecAsync("CREATE TYPE public.pair AS (a int, b int)");
        await session.ExecAsync("CREATE DOMAIN public.positive AS int CHECK (VALUE > 0)");
        await session.ExecAsync("CREATE FUNCTION app.twice(x int, y text) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2");
        await session.ExecAsync("CREATE PROCEDURE public.noop() LANGUAGE sql BEGIN ATOMIC SELECT 1; END");
        await session.ExecAsync("CREATE INDEX users_email ON app.users (email)");

        Assert.Equal(DatabaseState.Unversioned, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Equal(
            [
                "app.mood",
                "app.twice(x integer, y text)",
                "app.user_count",
                "app.users",
                "app.users_id_seq",
                "public.invoice_numbers",
                "public.noop()",
                "public.pair",
                "public.positive",
                "public.user_emails",
            ],
            await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Extension_objects_are_not_user_objects()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.ExecAsync("CREATE EXTENSION citext");
        await session.ExecAsync("CREATE EXTENSION hstore");

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_history_table_with_rows_makes_it_versioned()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using var session = await PostgreSqlTestSession.OpenAsync(db);
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.ExecAsync("CREATE TABLE things (id int)");

        await session.History.RecordAppliedAsync([Base], CancellationToken.None);

        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Equal(["public.things"], await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_configured_history_table_counts_as_history()
    {
        await using var db = await Server.CreateDatabaseAsync();
        await using (var other = await PostgreSqlTestSession.OpenAsync(db, PostgreSqlTestSession.Options(new HistoryTableName("other_history"))))
        {
            await other.History.EnsureCreatedAsync(CancellationToken.None);
            await other.History.RecordAppliedAsync([Base], CancellationToken.None);
        }

        await using var session = await PostgreSqlTestSession.OpenAsync(db);

        Assert.Equal(DatabaseState.Unversioned, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Contains("public.other_history", await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }
}
