using Microsoft.Data.Sqlite;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteCleanerTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task Run(IDatabaseSession session, string sql) =>
        session.Executor.ExecuteAsync(new SqlStatement(sql, 1), CancellationToken.None);

    private static async Task<List<string>> AllTablesAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type || ' ' || name FROM sqlite_master ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task BuildSchemaAsync(IDatabaseSession session)
    {
        await Run(session, "CREATE TABLE parents (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE)");
        await Run(session, "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id))");
        await Run(session, "CREATE INDEX children_parent ON children (parent_id)");
        await Run(session, "CREATE VIEW family AS SELECT p.name, c.id FROM parents p JOIN children c ON c.parent_id = p.id");
        await Run(session, "CREATE TRIGGER family_insert INSTEAD OF INSERT ON family BEGIN SELECT 1; END");
        await Run(session, "CREATE TRIGGER parents_touch AFTER UPDATE ON parents BEGIN SELECT 1; END");
        await Run(session, "CREATE VIRTUAL TABLE notes USING fts5 (body)");
        await Run(session, "INSERT INTO parents (name) VALUES ('p')");
        await Run(session, "INSERT INTO children (parent_id) VALUES (1)");
        await Run(session, "INSERT INTO notes (body) VALUES ('hello')");
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync(
            [new AppliedRevision("a", [], null, "s", DateTimeOffset.UnixEpoch, "ci", 1, "d")], CancellationToken.None);
        await session.History.AppendAuditAsync(
            new AuditEntry("d", AuditOperations.Upgrade, "ci", "h", "0.1.0", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, AuditOutcomes.Succeeded, "a", null),
            CancellationToken.None);
    }

    [Fact]
    public async Task Drop_all_keeps_only_the_audit_table_and_its_rows()
    {
        await using (var session = await _dir.OpenAsync())
        {
            await BuildSchemaAsync(session);

            await session.Cleaner.DropAllAsync(CancellationToken.None);

            Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
            Assert.Empty(await session.History.ReadAppliedAsync(CancellationToken.None));
            var audit = Assert.Single(await session.History.ReadAuditAsync(CancellationToken.None));
            Assert.Equal("d", audit.DeployId);
            Assert.False(session.Executor.InTransaction);
        }

        Assert.Equal(
            ["table probeops_schema_history_audit", "table sqlite_sequence"],
            await AllTablesAsync(_dir.File("app.db")));
    }

    [Fact]
    public async Task Drop_all_works_with_foreign_keys_enforced_and_restores_the_setting()
    {
        await using var session = await _dir.OpenAsync();
        await BuildSchemaAsync(session);
        await Run(session, "PRAGMA foreign_keys = ON");

        await session.Cleaner.DropAllAsync(CancellationToken.None);

        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.True(await ForeignKeysEnforcedAsync(session));
    }

    [Fact]
    public async Task Drop_all_inside_an_open_transaction_joins_it()
    {
        await using var session = await _dir.OpenAsync();
        await BuildSchemaAsync(session);
        await Run(session, "PRAGMA foreign_keys = ON");

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.Cleaner.DropAllAsync(CancellationToken.None);
        Assert.True(session.Executor.InTransaction);
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        await session.Executor.RollbackAsync(CancellationToken.None);

        // Rolled back with the caller's transaction: everything is still there.
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Contains("children", await session.Inspector.ListUserObjectsAsync(CancellationToken.None));

        await session.Executor.BeginTransactionAsync(CancellationToken.None);
        await session.Cleaner.DropAllAsync(CancellationToken.None);
        await session.Executor.CommitAsync(CancellationToken.None);
        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Single(await session.History.ReadAuditAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Drop_all_on_an_empty_database_is_harmless()
    {
        await using var session = await _dir.OpenAsync();

        await session.Cleaner.DropAllAsync(CancellationToken.None);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    /// <summary>Foreign key enforcement is per connection, so probe the session itself.</summary>
    private static async Task<bool> ForeignKeysEnforcedAsync(IDatabaseSession session)
    {
        await Run(session, "CREATE TABLE fk_parent (id INTEGER PRIMARY KEY)");
        await Run(session, "CREATE TABLE fk_child (parent_id INTEGER REFERENCES fk_parent (id))");
        try
        {
            await Run(session, "INSERT INTO fk_child VALUES (42)");
            return false;
        }
        catch (StatementFailedException error) when (error.Message.Contains("FOREIGN KEY", StringComparison.Ordinal))
        {
            return true;
        }
    }
}
