using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Schema;
using ProbeOps.Migrate.Tests.Cli;
using static ProbeOps.Migrate.Tests.Schema.SchemaTestSupport;

namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>Reading SQLite schemas from real database files.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private const string Corpus =
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            tier TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro')),
            name_lower TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL
        );
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            amount REAL NOT NULL,
            status TEXT,
            UNIQUE (user_id, status)
        );
        CREATE TABLE pairs (a TEXT, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
        CREATE INDEX orders_open ON orders (status) WHERE status <> 'done';
        CREATE INDEX users_email_desc ON users (lower(email), tier DESC);
        CREATE VIEW active_users AS SELECT id, email FROM users WHERE tier = 'pro';
        CREATE TRIGGER orders_touch AFTER INSERT ON orders BEGIN UPDATE orders SET status = 'new' WHERE id = NEW.id AND status IS NULL; END;
        """;

    private readonly TempDirectory _dir = new();

    public SqliteSchemaTests()
    {
        _dir.Write("migrations/20250101_base.sql", MigrationText.File(null, Corpus));
    }

    public void Dispose() => _dir.Dispose();

    private string Migrations => _dir.Combine("migrations");

    private async Task<string> MigratedAsync(string name)
    {
        var database = "sqlite:" + _dir.Combine(name);
        await UpgradeAsync(database, Migrations);
        return database;
    }

    private async Task ExecAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database["sqlite:".Length..]};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_same_migrations_applied_to_two_files_compare_equal()
    {
        var first = (await ReadAsync(await MigratedAsync("a.db"))).Schema;
        var second = (await ReadAsync(await MigratedAsync("b.db"))).Schema;

        var comparison = SchemaComparer.Compare(first, second);

        Assert.False(comparison.HasDrift, Lines(comparison));
        Assert.Empty(comparison.Notes);
        Assert.DoesNotContain(first.Tables, t => t.Name.StartsWith("probeops_", StringComparison.Ordinal) || t.Name.StartsWith("sqlite_", StringComparison.Ordinal));
        var orders = first.Tables.Single(t => t.Name == "orders");
        Assert.Contains(orders.Constraints, c => c.Definition == "FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE");
        Assert.Contains(orders.Constraints, c => c.Name == "UNIQUE (user_id, status)");
        Assert.Equal(["status"], orders.Indexes.Single(i => i.Name == "orders_open").Columns);
        Assert.Equal(["<expression>", "tier DESC"], first.Tables.Single(t => t.Name == "users").Indexes.Single().Columns);
        Assert.Equal("PRIMARY KEY (a, b)", first.Tables.Single(t => t.Name == "pairs").Constraints.Single().Definition);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "ALTER TABLE users ADD COLUMN nickname TEXT", "+ column main.users.nickname" },
        { "DROP INDEX orders_open", "- index main.orders_open" },
        { "CREATE INDEX orders_amount ON orders (amount)", "+ index main.orders_amount" },
        { "DROP VIEW active_users", "- view main.active_users" },
        { "DROP TRIGGER orders_touch", "- trigger main.orders.orders_touch" },
        { "CREATE TABLE extra (id INTEGER)", "+ table main.extra" },
        { "ALTER TABLE users RENAME COLUMN tier TO plan", "- column main.users.tier" },
        { "DROP INDEX users_email_desc; CREATE INDEX users_email_desc ON users (lower(email), tier)", "~ index main.users_email_desc: columns [<expression>, tier DESC] -> [<expression>, tier]" },
        {
            // A CHECK is only in the CREATE TABLE text: the table's definition names it.
            "DROP VIEW active_users; " +
            "CREATE TABLE t2 (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, tier TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'team')), name_lower TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL); " +
            "INSERT INTO t2 (id, email, tier) SELECT id, email, tier FROM users; DROP TABLE users; ALTER TABLE t2 RENAME TO users; " +
            "CREATE INDEX users_email_desc ON users (lower(email), tier DESC); CREATE VIEW active_users AS SELECT id, email FROM users WHERE tier = 'pro'",
            "~ table main.users: definition"
        },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Every_kind_of_change_is_found_and_named(string change, string reported)
    {
        var database = await MigratedAsync("db.db");
        var expected = (await ReadAsync(database)).Schema;
        await ExecAsync(database, change);

        var comparison = SchemaComparer.Compare(expected, (await ReadAsync(database)).Schema);

        var lines = Lines(comparison);
        Assert.True(lines.Contains(reported, StringComparison.Ordinal), $"expected a line with \"{reported}\"; got:\n{lines}");
    }
}
