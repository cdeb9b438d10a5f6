using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Providers;

namespace ProbeOps.Migrate.Tests.Providers.Sqlite;

public sealed class SqliteInspectorTests : IDisposable
{
    private readonly SqliteTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task Run(IDatabaseSession session, string sql) =>
        session.Executor.ExecuteAsync(new SqlStatement(sql, 1), CancellationToken.None);

    [Fact]
    public async Task A_new_database_is_empty()
    {
        await using var session = await _dir.OpenAsync();

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Empty_history_tables_alone_still_mean_empty()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);

        Assert.Equal(DatabaseState.Empty, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task User_objects_without_history_are_unversioned_and_listed_sorted()
    {
        await using var session = await _dir.OpenAsync();
        await Run(session, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE)");
        await Run(session, "CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT)");
        await Run(session, "CREATE INDEX users_email ON users (email)");
        await Run(session, "CREATE VIEW active_users AS SELECT * FROM users");
        await Run(session, "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END");
        await session.History.EnsureCreatedAsync(CancellationToken.None);

        Assert.Equal(DatabaseState.Unversioned, await session.Inspector.GetStateAsync(CancellationToken.None));

        // No sqlite_sequence, no automatic index for UNIQUE, no history or audit table.
        Assert.Equal(
            ["accounts", "active_users", "users", "users_email", "users_touch"],
            await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_recorded_revision_makes_the_database_versioned()
    {
        await using var session = await _dir.OpenAsync();
        await session.History.EnsureCreatedAsync(CancellationToken.None);
        await session.History.RecordAppliedAsync(
            [new AppliedRevision("a", [], null, "s", DateTimeOffset.UnixEpoch, "ci", 1, "d")], CancellationToken.None);

        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));

        await Run(session, "CREATE TABLE users (id INTEGER)");
        Assert.Equal(DatabaseState.Versioned, await session.Inspector.GetStateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task History_tables_are_recognised_whatever_the_case_of_their_name()
    {
        var options = SessionOptions.Default with { History = new HistoryTableName("Schema_History") };
        await using var session = await _dir.OpenAsync(options: options);
        await Run(session, "CREATE TABLE schema_history (revision TEXT)");
        await Run(session, "CREATE INDEX schema_history_revision ON schema_history (revision)");

        Assert.Empty(await session.Inspector.ListUserObjectsAsync(CancellationToken.None));
        Assert.Empty(await session.History.ReadAuditAsync(CancellationToken.None));
    }
}
