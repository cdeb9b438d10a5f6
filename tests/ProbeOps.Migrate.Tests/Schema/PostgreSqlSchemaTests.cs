using Npgsql;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>
/// Reading PostgreSQL schemas on a real server: the corpus of <see cref="SchemaCorpus"/> replayed into
/// two databases compares equal, and a hand-made change of any kind is found and named.
/// </summary>
public sealed class PostgreSqlSchemaTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestDatabase _template = null!;
    private DatabaseSchema _expected = null!;

    private string Migrations => _dir.Combine("migrations");

    public async Task InitializeAsync()
    {
        SchemaCorpus.WriteTo(Migrations);
        _template = await PostgresServer.Shared.CreateDatabaseAsync();
        await UpgradeAsync(_template.Url, Migrations);
        _expected = (await ReadAsync(_template.Url)).Schema;
    }

    public async Task DisposeAsync()
    {
        await _template.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_same_migrations_replayed_into_two_databases_compare_equal()
    {
        await using var other = await PostgresServer.Shared.CreateDatabaseAsync();
        await UpgradeAsync(other.Url, Migrations);

        var actual = (await ReadAsync(other.Url)).Schema;
        var comparison = SchemaComparer.Compare(_expected, actual);

        Assert.True(!comparison.HasDrift, Lines(comparison));
        Assert.Empty(comparison.Notes);
        Assert.Contains(actual.Tables, t => t.Name == "events_2025" && t.PartitionOf == "app.events");
        Assert.Contains(actual.Routines, r => r.Name == "total" && r.Kind == "aggregate");
        Assert.Contains(actual.Extensions, e => e.Name == "pgcrypto");
    }

    [Fact]
    public async Task The_model_reads_every_kind_of_object_as_the_server_prints_it()
    {
        var users = _expected.Tables.Single(t => t.Name == "users");
        var id = users.Columns.Single(c => c.Name == "id");
        Assert.Equal("ALWAYS", id.Identity?.Generation);
        Assert.Equal(10, id.Identity?.Sequence.Start);
        Assert.Equal(2, id.Identity?.Sequence.Increment);
        Assert.Equal("'free'::text", users.Columns.Single(c => c.Name == "tier").Default);
        Assert.Equal("lower(name) STORED", users.Columns.Single(c => c.Name == "name_lower").Generated);
        Assert.Equal("pg_catalog.\"C\"", users.Columns.Single(c => c.Name == "name").Collation);
        Assert.Equal("display name", users.Columns.Single(c => c.Name == "name").Comment);
        Assert.Equal(["lower(email::text) pg_catalog.text_pattern_ops DESC NULLS LAST"], users.Indexes.Single(i => i.Name == "users_email_pattern").Columns);

        var orders = _expected.Tables.Single(t => t.Name == "orders");
        var fk = orders.Constraints.Single(c => c.Name == "orders_user_fk");
        Assert.True(fk.Deferrable && fk.InitiallyDeferred);
        Assert.Contains("ON DELETE CASCADE", fk.Definition, StringComparison.Ordinal);
        Assert.Equal("exclusion", orders.Constraints.Single(c => c.Name == "no_double_booking").Type);
        Assert.Equal(["amount"], orders.Indexes.Single(i => i.Name == "orders_user_amount").Include);
        Assert.Equal("status <> 'done'::text", orders.Indexes.Single(i => i.Name == "orders_open").Predicate);
        Assert.True(orders.RowLevelSecurity);
        Assert.True(orders.Policies.Single(p => p.Name == "orders_insert").Restrictive);
        Assert.Equal("nextval('app.orders_id_seq'::regclass)", orders.Columns.Single(c => c.Name == "id").Default);
        Assert.Equal("app.orders.id", _expected.Sequences.Single(s => s.Name == "orders_id_seq").OwnedBy);

        // Indexes that back constraints are reported through the constraint, not twice.
        Assert.DoesNotContain(orders.Indexes, i => i.Name == "orders_pkey");
        Assert.Equal("RANGE (at)", _expected.Tables.Single(t => t.Name == "events").PartitionKey);
        Assert.Equal(["sad", "meh", "ok", "happy"], _expected.Types.Single(t => t.Name == "mood").Labels);
        Assert.Equal(["email_has_at: CHECK ((VALUE ~~ '%@%'::text))"], _expected.Types.Single(t => t.Name == "email").Constraints);
        Assert.Contains("$function$", _expected.Routines.Single(r => r.Name == "touch").Definition, StringComparison.Ordinal);
        Assert.True(_expected.Views.Single(v => v.Name == "order_totals").Materialized);
    }

    [Fact]
    public async Task The_history_tables_and_extension_members_are_not_part_of_the_schema()
    {
        Assert.DoesNotContain(_expected.Tables, t => t.Name.StartsWith(HistoryTableName.DefaultTable, StringComparison.Ordinal));
        Assert.DoesNotContain(_expected.Sequences, s => s.Name.StartsWith(HistoryTableName.DefaultTable, StringComparison.Ordinal));

        // pgcrypto's and btree_gist's hundreds of functions belong to the extensions.
        Assert.DoesNotContain(_expected.Routines, r => r.Name is "gen_random_uuid" or "digest" or "gbt_int4_consistent");
        Assert.All(_expected.Routines, r => Assert.Equal("app", r.Schema));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Reading_a_schema_takes_one_round_trip()
    {
        var read = await ReadAsync(_template.Url);
        Assert.Equal(1, read.RoundTrips);
        Assert.InRange(read.Queries, 10, 16);
    }

    public static TheoryData<string, string> Changes => new()
    {
        // Schemas and extensions.
        { "CREATE SCHEMA extra", "+ schema extra" },
        { "COMMENT ON SCHEMA app IS 'renamed'", "~ schema app: comment application objects -> renamed" },
        { "CREATE EXTENSION citext", "+ extension citext" },
        { "DROP EXTENSION btree_gist CASCADE", "- extension btree_gist" },

        // Tables and partitions.
        { "CREATE TABLE app.extra (id int)", "+ table app.extra" },
        { "DROP TABLE app.scratch", "- table app.scratch" },
        { "ALTER TABLE app.scratch SET LOGGED", "~ table app.scratch: unlogged true -> false" },
        { "COMMENT ON TABLE app.users IS 'humans'", "~ table app.users: comment people -> humans" },
        { "ALTER TABLE app.orders DISABLE ROW LEVEL SECURITY", "~ table app.orders: row level security true -> false" },
        { "ALTER TABLE app.orders FORCE ROW LEVEL SECURITY", "~ table app.orders: force row level security false -> true" },
        { "ALTER TABLE app.child_base NO INHERIT app.parent_base", "~ table app.child_base: inherits [app.parent_base] -> []" },
        { "ALTER TABLE app.events DETACH PARTITION app.events_2025", "~ table app.events_2025: partition of app.events -> (none)" },
        { "ALTER TABLE app.users SET (fillfactor = 70)", "~ table app.users: options (none) -> fillfactor=70" },

        // Columns.
        { "ALTER TABLE app.users ADD COLUMN nickname text", "+ column app.users.nickname" },
        { "ALTER TABLE app.users DROP COLUMN tier", "- column app.users.tier" },
        { "ALTER TABLE app.users ALTER COLUMN tier TYPE varchar(20)", "~ column app.users.tier: type text -> character varying(20)" },
        { "ALTER TABLE app.users ALTER COLUMN tier DROP NOT NULL", "~ column app.users.tier: not null true -> false" },
        { "ALTER TABLE app.users ALTER COLUMN tier SET DEFAULT 'basic'", "~ column app.users.tier: default 'free'::text -> 'basic'::text" },
        { "ALTER TABLE app.users ALTER COLUMN id SET INCREMENT BY 5", "~ column app.users.id: identity GENERATED ALWAYS (AS bigint START 10 INCREMENT 2" },
        { "ALTER TABLE app.users ALTER COLUMN id SET GENERATED BY DEFAULT", "-> GENERATED BY DEFAULT" },
        { "ALTER TABLE app.scratch ALTER COLUMN v TYPE text COLLATE \"C\"", "~ column app.scratch.v: collation (none) -> pg_catalog.\"C\"" },
        { "ALTER TABLE app.users ALTER COLUMN name_lower DROP EXPRESSION", "~ column app.users.name_lower: generated lower(name) STORED -> (none)" },
        { "COMMENT ON COLUMN app.users.name IS NULL", "~ column app.users.name: comment display name -> (none)" },
        { "ALTER TABLE app.orders ALTER COLUMN id DROP DEFAULT", "~ column app.orders.id: default nextval('app.orders_id_seq'::regclass) -> (none)" },

        // Constraints.
        { "ALTER TABLE app.orders DROP CONSTRAINT amount_positive", "- constraint app.orders.amount_positive" },
        { "ALTER TABLE app.scratch ADD CONSTRAINT scratch_k UNIQUE (k)", "+ constraint app.scratch.scratch_k" },
        { "ALTER TABLE app.orders ALTER CONSTRAINT orders_user_fk NOT DEFERRABLE", "~ constraint app.orders.orders_user_fk: deferrable true -> false" },
        {
            "ALTER TABLE app.orders DROP CONSTRAINT orders_user_fk, ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED",
            "~ constraint app.orders.orders_user_fk: definition FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED -> FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED"
        },
        {
            "ALTER TABLE app.orders DROP CONSTRAINT amount_positive, ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID",
            "~ constraint app.orders.amount_positive: validated true -> false"
        },
        { "ALTER TABLE app.orders DROP CONSTRAINT no_double_booking", "- constraint app.orders.no_double_booking" },

        // What pg_dump shows beside the definitions: replica identity, CLUSTER ON, column storage, statistics, options.
        { "ALTER TABLE app.users REPLICA IDENTITY FULL", "~ table app.users: replica identity (none) -> FULL" },
        { "ALTER TABLE app.users REPLICA IDENTITY USING INDEX users_token", "~ table app.users: replica identity (none) -> USING INDEX users_token" },
        { "ALTER TABLE app.users CLUSTER ON users_token", "~ table app.users: cluster on (none) -> users_token" },
        { "ALTER TABLE app.users ALTER COLUMN tier SET STORAGE EXTERNAL", "~ column app.users.tier: storage (none) -> EXTERNAL" },
        { "ALTER TABLE app.users ALTER COLUMN tier SET STATISTICS 500", "~ column app.users.tier: statistics (none) -> 500" },
        { "ALTER TABLE app.users ALTER COLUMN tier SET (n_distinct = 3)", "~ column app.users.tier: options (none) -> n_distinct=3" },

        // Indexes.
        { "DROP INDEX app.orders_open", "- index app.orders_open" },
        { "CREATE INDEX scratch_v ON app.scratch (v)", "+ index app.scratch_v" },
        { "DROP INDEX app.orders_open; CREATE INDEX orders_open ON app.orders (status) WHERE status <> 'closed'", "~ index app.orders_open: predicate status <> 'done'::text -> status <> 'closed'::text" },
        { "DROP INDEX app.users_email_pattern; CREATE INDEX users_email_pattern ON app.users (lower(email::text) DESC NULLS LAST)", "~ index app.users_email_pattern: columns [lower(email::text) pg_catalog.text_pattern_ops DESC NULLS LAST] -> [lower(email::text) DESC NULLS LAST]" },
        { "DROP INDEX app.users_email_pattern; CREATE INDEX users_email_pattern ON app.users (lower(email::text) text_pattern_ops)", "-> [lower(email::text) pg_catalog.text_pattern_ops]" },
        { "DROP INDEX app.orders_user_amount; CREATE INDEX orders_user_amount ON app.orders (user_id) INCLUDE (amount, status)", "~ index app.orders_user_amount: include [amount] -> [amount, status]" },
        { "DROP INDEX app.orders_during; CREATE INDEX orders_during ON app.orders USING btree (during)", "~ index app.orders_during: method gist -> btree" },
        { "DROP INDEX app.users_token; CREATE INDEX users_token ON app.users (token) WITH (fillfactor = 90)", "~ index app.users_token: unique true -> false" },
        { "ALTER INDEX app.users_token SET (fillfactor = 80)", "~ index app.users_token: options fillfactor=90 -> fillfactor=80" },
        { "DROP INDEX app.order_totals_user", "- index app.order_totals_user" },

        // Triggers and policies.
        { "DROP TRIGGER orders_touch ON app.orders", "- trigger app.orders.orders_touch" },
        { "ALTER TABLE app.orders DISABLE TRIGGER orders_touch", "~ trigger app.orders.orders_touch: enabled enabled -> disabled" },
        {
            "DROP TRIGGER orders_touch ON app.orders; CREATE TRIGGER orders_touch BEFORE INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch()",
            "~ trigger app.orders.orders_touch: definition CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON app.orders"
        },
        { "DROP POLICY orders_owner ON app.orders", "- policy app.orders.orders_owner" },
        { "ALTER POLICY orders_owner ON app.orders USING (user_id > 1)", "~ policy app.orders.orders_owner: using (user_id > 0) -> (user_id > 1)" },
        { "CREATE POLICY orders_delete ON app.orders FOR DELETE USING (true)", "+ policy app.orders.orders_delete" },

        // Sequences.
        { "ALTER SEQUENCE app.ticket_seq INCREMENT BY 1", "~ sequence app.ticket_seq: increment 5 -> 1" },
        { "ALTER SEQUENCE app.ticket_seq NO CYCLE", "~ sequence app.ticket_seq: cycle true -> false" },
        { "CREATE SEQUENCE app.extra_seq", "+ sequence app.extra_seq" },
        { "ALTER SEQUENCE app.ticket_seq OWNED BY app.users.ticket", "~ sequence app.ticket_seq: owned by (none) -> app.users.ticket" },

        // Views.
        { "CREATE OR REPLACE VIEW app.active_users AS SELECT id, email, name FROM app.users WHERE mood <> 'happy'", "~ view app.active_users: definition" },
        { "DROP VIEW app.active_emails", "- view app.active_emails" },
        { "ALTER VIEW app.active_emails RESET (security_barrier)", "~ view app.active_emails: options security_barrier=true -> (none)" },
        { "DROP MATERIALIZED VIEW app.order_totals", "- materialized view app.order_totals" },
        { "CREATE VIEW app.extra_view AS SELECT 1 AS one", "+ view app.extra_view" },

        // Routines.
        {
            "CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.status := coalesce(NEW.status, 'created'); RETURN NEW; END $$",
            "~ function app.touch(): definition"
        },
        { "CREATE FUNCTION app.add(a bigint, b bigint) RETURNS bigint LANGUAGE sql AS 'SELECT a + b'", "+ function app.add(bigint, bigint)" },
        { "DROP PROCEDURE app.archive(integer)", "- procedure app.archive(integer)" },
        { "DROP AGGREGATE app.total(integer)", "- aggregate app.total(integer)" },
        { "ALTER FUNCTION app.add(integer, integer) VOLATILE", "~ function app.add(integer, integer): definition" },
        { "COMMENT ON FUNCTION app.touch() IS 'sets status'", "~ function app.touch(): comment fills status -> sets status" },

        // Types.
        { "ALTER TYPE app.mood ADD VALUE 'ecstatic'", "~ type app.mood: labels ['sad', 'meh', 'ok', 'happy'] -> ['sad', 'meh', 'ok', 'happy', 'ecstatic']" },
        { "ALTER DOMAIN app.email DROP CONSTRAINT email_has_at", "~ domain app.email: constraints [email_has_at: CHECK ((VALUE ~~ '%@%'::text))] -> []" },
        { "ALTER DOMAIN app.email SET DEFAULT 'x@y'", "~ domain app.email: default 'nobody@example.com'::text -> 'x@y'::text" },
        { "ALTER DOMAIN app.email SET NOT NULL", "~ domain app.email: not null false -> true" },
        { "ALTER TYPE app.pair ADD ATTRIBUTE c integer", "~ type app.pair: attributes [a integer, b text COLLATE pg_catalog.\"C\"] -> [a integer, b text COLLATE pg_catalog.\"C\", c integer]" },
        { "CREATE TYPE app.color AS ENUM ('red')", "+ type app.color" },
        { "COMMENT ON TYPE app.mood IS NULL", "~ type app.mood: comment how it feels -> (none)" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Every_kind_of_change_is_found_and_named(string change, string reported)
    {
        await using var database = await CloneAsync(_template);
        await ExecAsync(database, change);

        var comparison = SchemaComparer.Compare(_expected, (await ReadAsync(database.Url)).Schema);

        var lines = Lines(comparison);
        Assert.True(lines.Contains(reported, StringComparison.Ordinal), $"expected a line with \"{reported}\"; got:\n{lines}");
    }

    [Fact]
    public async Task A_column_moved_to_the_end_is_a_note_not_drift()
    {
        await using var database = await CloneAsync(_template);
        await ExecAsync(database, "ALTER TABLE app.users DROP COLUMN tier CASCADE; ALTER TABLE app.users ADD COLUMN tier text NOT NULL DEFAULT 'free'; ALTER TABLE app.users DROP COLUMN mood CASCADE; ALTER TABLE app.users ADD COLUMN mood app.mood DEFAULT 'ok'");

        var comparison = SchemaComparer.Compare(_expected, (await ReadAsync(database.Url)).Schema);

        // The view over users.mood went with the column; only that is drift, the order is information.
        Assert.DoesNotContain(comparison.Differences, d => d.Kind == SchemaObjectKind.Column);
        Assert.Contains(comparison.Notes, n => n.Contains("column order of table app.users differs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_index_left_invalid_by_a_failed_concurrent_build_is_drift()
    {
        await using var database = await CloneAsync(_template);
        await ExecAsync(database, "CREATE INDEX scratch_k ON app.scratch (k)");
        var expected = (await ReadAsync(database.Url)).Schema;
        await ExecAsync(database, "DROP INDEX app.scratch_k; INSERT INTO app.scratch VALUES ('a', '1'), ('a', '2')");
        await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(database, "CREATE UNIQUE INDEX CONCURRENTLY scratch_k ON app.scratch (k)"));

        var comparison = SchemaComparer.Compare(expected, (await ReadAsync(database.Url)).Schema);

        Assert.Contains("~ index app.scratch_k: unique false -> true", Lines(comparison), StringComparison.Ordinal);
        Assert.Contains("~ index app.scratch_k: valid true -> false", Lines(comparison), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privileges_are_compared_only_when_asked_and_never_the_owners_own()
    {
        var role = "probeops_reader_" + Guid.NewGuid().ToString("N")[..8];
        await using var database = await CloneAsync(_template);
        var before = (await ReadAsync(database.Url, privileges: true)).Schema;
        Assert.All(before.Tables, t => Assert.DoesNotContain(t.Privileges, p => p.StartsWith("postgres:", StringComparison.Ordinal)));
        try
        {
            await ExecAsync(database, $"CREATE ROLE {role}; GRANT SELECT ON app.users TO {role}; GRANT USAGE ON SCHEMA app TO {role}");

            var withPrivileges = SchemaComparer.Compare(before, (await ReadAsync(database.Url, privileges: true)).Schema);
            var without = SchemaComparer.Compare(_expected, (await ReadAsync(database.Url)).Schema);

            Assert.Contains($"~ table app.users: privileges [] -> [{role}: SELECT]", Lines(withPrivileges), StringComparison.Ordinal);
            Assert.Contains($"~ schema app: privileges [] -> [{role}: USAGE]", Lines(withPrivileges), StringComparison.Ordinal);
            Assert.False(without.HasDrift, Lines(without));
        }
        finally
        {
            await ExecAsync(database, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_snapshot_of_the_schema_reads_back_the_same_and_writes_the_same_text()
    {
        var snapshot = new SchemaSnapshot
        {
            Format = SchemaSnapshot.FormatName,
            Version = SchemaSnapshot.CurrentVersion,
            Heads = [SchemaCorpus.Head],
            RevisionCount = SchemaCorpus.Migrations.Count,
            MigrationsHash = "x",
            Schema = _expected,
        };

        var text = SchemaJson.Write(snapshot);
        var read = SchemaJson.Read(text, "test");

        Assert.False(SchemaComparer.Compare(_expected, read.Schema).HasDrift, Lines(SchemaComparer.Compare(_expected, read.Schema)));
        Assert.False(SchemaComparer.Compare(read.Schema, _expected).HasDrift);
        Assert.Equal(text, SchemaJson.Write(read));
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);

        // Properties left at their defaults are left out; values that differ from them are kept.
        Assert.DoesNotContain("\"comment\": null", text, StringComparison.Ordinal);
        Assert.Contains("\"restrictive\": true", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shadow_database_is_dropped_when_disposed()
    {
        await using var provider = new PostgreSqlProvider();
        await using var session = await provider.OpenSessionAsync(_template.Target, SessionOptions.Default, CancellationToken.None);
        string name;
        await using (var shadow = await session.ShadowDatabases!.CreateShadowAsync(SessionOptions.Default, CancellationToken.None))
        {
            name = shadow.Session.Target.DatabaseName;
            Assert.StartsWith("probeops_shadow_", name, StringComparison.Ordinal);
            Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));

            // An open transaction in the shadow does not keep it alive.
            await shadow.Session.Executor.BeginTransactionAsync(CancellationToken.None);
        }

        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
    }
}
