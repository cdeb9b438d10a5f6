namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>
/// Migrations that use every kind of object the schema model knows: extensions from contrib, a schema,
/// enum, domain, composite and range types, identity and serial columns, a generated column, collations,
/// partial, expression, INCLUDE and opclass indexes, an exclusion constraint, a deferrable foreign key,
/// partitioned and inherited tables, views over views, a materialized view, functions with <c>$$</c>
/// bodies, an aggregate, a procedure, triggers, row-level security and policies, comments.
/// </summary>
public static class SchemaCorpus
{
    public static readonly IReadOnlyList<(string Name, string Text)> Migrations =
    [
        ("20250101_extensions",
            """
            -- down_revision: none

            -- migrate:upgrade
            CREATE EXTENSION IF NOT EXISTS pgcrypto;
            CREATE EXTENSION IF NOT EXISTS btree_gist;
            CREATE SCHEMA app;
            COMMENT ON SCHEMA app IS 'application objects';
            """),
        ("20250102_types",
            """
            -- down_revision: 20250101_extensions

            -- migrate:upgrade
            CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
            ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
            CREATE DOMAIN app.email AS text COLLATE "C" DEFAULT 'nobody@example.com' CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
            CREATE TYPE app.pair AS (a integer, b text COLLATE "C");
            CREATE TYPE app.floatrange AS RANGE (subtype = float8);
            COMMENT ON TYPE app.mood IS 'how it feels';
            CREATE SEQUENCE app.ticket_seq AS integer START 100 INCREMENT 5 CACHE 10 CYCLE;
            """),
        ("20250103_tables",
            """
            -- down_revision: 20250102_types

            -- migrate:upgrade
            CREATE TABLE app.users (
                id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 2) PRIMARY KEY,
                email app.email NOT NULL UNIQUE,
                name text COLLATE "C" NOT NULL,
                mood app.mood DEFAULT 'ok',
                token uuid NOT NULL DEFAULT gen_random_uuid(),
                name_lower text GENERATED ALWAYS AS (lower(name)) STORED,
                ticket integer DEFAULT nextval('app.ticket_seq'),
                tier text NOT NULL DEFAULT 'free'
            );
            COMMENT ON TABLE app.users IS 'people';
            COMMENT ON COLUMN app.users.name IS 'display name';

            CREATE TABLE app.orders (
                id serial PRIMARY KEY,
                user_id bigint NOT NULL,
                amount numeric(10, 2) NOT NULL CONSTRAINT amount_positive CHECK (amount > 0),
                during tsrange,
                room integer,
                status text,
                CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT no_double_booking EXCLUDE USING gist (room WITH =, during WITH &&)
            );
            CREATE INDEX orders_open ON app.orders (status) WHERE status <> 'done';
            CREATE INDEX users_email_pattern ON app.users (lower(email::text) text_pattern_ops DESC NULLS LAST);
            CREATE INDEX orders_user_amount ON app.orders USING btree (user_id) INCLUDE (amount);
            CREATE UNIQUE INDEX users_token ON app.users (token) WITH (fillfactor = 90);
            CREATE INDEX orders_during ON app.orders USING gist (during);

            CREATE TABLE app.events (
                id bigint NOT NULL,
                at date NOT NULL,
                payload jsonb,
                PRIMARY KEY (id, at)
            ) PARTITION BY RANGE (at);
            CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
            CREATE INDEX events_payload ON app.events USING gin (payload jsonb_path_ops);

            CREATE UNLOGGED TABLE app.scratch (k text, v text);
            CREATE TABLE app.parent_base (id int);
            CREATE TABLE app.child_base (extra int) INHERITS (app.parent_base);
            """),
        ("20250104_code",
            """
            -- down_revision: 20250103_tables

            -- migrate:upgrade
            CREATE VIEW app.active_users AS SELECT id, email, name FROM app.users WHERE mood <> 'sad';
            CREATE VIEW app.active_emails WITH (security_barrier) AS SELECT email FROM app.active_users;
            CREATE MATERIALIZED VIEW app.order_totals AS SELECT user_id, sum(amount) AS total FROM app.orders GROUP BY user_id;
            CREATE UNIQUE INDEX order_totals_user ON app.order_totals (user_id);

            CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.status := coalesce(NEW.status, 'new');
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
            CREATE FUNCTION app.event_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER events_guard BEFORE INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.event_guard();
            CREATE FUNCTION app.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT a + b $$;
            CREATE FUNCTION app.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
            CREATE AGGREGATE app.total(integer) (SFUNC = app.add, STYPE = integer, INITCOND = '0');
            CREATE PROCEDURE app.archive(days integer) LANGUAGE sql BEGIN ATOMIC DELETE FROM app.orders WHERE status = 'done'; END;
            COMMENT ON FUNCTION app.touch() IS 'fills status';

            ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;
            CREATE POLICY orders_owner ON app.orders FOR SELECT TO public USING (user_id > 0);
            CREATE POLICY orders_insert ON app.orders AS RESTRICTIVE FOR INSERT WITH CHECK (amount < 1000000);
            """),
    ];

    /// <summary>The head revision.</summary>
    public static string Head => Migrations[^1].Name;

    /// <summary>Writes the migrations into <paramref name="directory"/>.</summary>
    public static void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in Migrations)
        {
            File.WriteAllText(Path.Combine(directory, name + ".sql"), text + "\n");
        }
    }
}
