using System.Text;
using ProbeOps.Migrate.Execution;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Planning;
using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Infrastructure;
using ProbeOps.Migrate.Tests.Providers.PostgreSql;

namespace ProbeOps.Migrate.Tests.Execution;

/// <summary>
/// How the runner hands statements to a real PostgreSQL session: a transactional section in one batch,
/// a non-transactional one statement by statement. The session is real; a thin wrapper only records the calls.
/// </summary>
public sealed class PostgreSqlBatchingTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.Shared.CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(TransactionMode.Single)]
    [InlineData(TransactionMode.PerMigration)]
    public async Task Each_transactional_section_reaches_the_server_as_one_batch(TransactionMode mode)
    {
        var plan = Plan(
            ("20250101_a", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);", true),
            ("20250102_b", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b VALUES (2);", true),
            ("20250103_c", "CREATE TABLE c (id int);", true));
        await using var session = new RecordingSession(await PostgreSqlTestSession.OpenAsync(_database));
        var observer = new RecordingObserver();

        var results = await Runner(session, mode, observer).RunAsync(plan, CancellationToken.None);

        // Each unit writes its history rows in its own transaction; the tables are checked until one unit has committed.
        string[] expected = mode == TransactionMode.Single
            ? ["ensure history", "batch of 2", "batch of 3", "batch of 1", "record 3 rows"]
            : ["ensure history", "batch of 2", "record 1 rows", "batch of 3", "record 1 rows", "batch of 1", "record 1 rows"];
        Assert.Equal(expected, session.Calls);
        Assert.Equal(["20250101_a", "20250102_b", "20250103_c"], results.Select(r => r.Revision));
        Assert.Equal(
            ["started 20250101_a", "finished 20250101_a", "started 20250102_b", "finished 20250102_b", "started 20250103_c", "finished 20250103_c"],
            observer.Events);
        Assert.Equal(3, (await session.Inner.History.ReadAppliedAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_dry_run_per_migration_checks_the_history_tables_in_every_transaction_and_leaves_none()
    {
        var plan = Plan(("20250101_a", "CREATE TABLE a (id int);", true), ("20250102_b", "CREATE TABLE b (id int);", true));
        await using var session = new RecordingSession(await PostgreSqlTestSession.OpenAsync(_database));

        await Runner(session, TransactionMode.PerMigration, dryRun: true).RunAsync(plan, CancellationToken.None);

        Assert.Equal(["ensure history", "batch of 1", "record 1 rows", "ensure history", "batch of 1", "record 1 rows"], session.Calls);
        Assert.Empty(await session.Inner.History.ReadAppliedAsync(CancellationToken.None));
        Assert.Null(await ((PostgreSqlSession)session.Inner).ScalarAsync<string>("SELECT to_regclass('a')::text"));
    }

    [Fact]
    public async Task A_non_transactional_section_runs_one_statement_per_call_between_batches()
    {
        var plan = Plan(
            ("20250101_a", "CREATE TABLE items (id int, name text);\nINSERT INTO items VALUES (1, 'x');", true),
            ("20250102_b", "CREATE INDEX CONCURRENTLY ix_items_id ON items (id);\nCREATE INDEX CONCURRENTLY ix_items_name ON items (name);", false),
            ("20250103_c", "ALTER TABLE items ADD COLUMN extra text;", true));
        await using var session = new RecordingSession(await PostgreSqlTestSession.OpenAsync(_database));

        await Runner(session, TransactionMode.Single).RunAsync(plan, CancellationToken.None);

        Assert.Equal(
            [
                "ensure history",
                "batch of 2",
                "record 1 rows",
                "statement CREATE INDEX CONCURRENTLY ix_items_id ON items (id)",
                "statement CREATE INDEX CONCURRENTLY ix_items_name ON items (name)",
                "record 1 rows",
                "batch of 1",
                "record 1 rows",
            ],
            session.Calls);
        Assert.Equal(3, (await session.Inner.History.ReadAppliedAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_failure_inside_a_batch_names_the_statement_its_line_and_state()
    {
        var plan = Plan(
            ("20250101_a", "CREATE TABLE a (id int);", true),
            ("20250102_b", "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b\nSELECT id FROM nowhere;\nCREATE TABLE b2 (id int);", true));
        await using var session = new RecordingSession(await PostgreSqlTestSession.OpenAsync(_database));

        var error = await Assert.ThrowsAsync<MigrationFailedException>(
            () => Runner(session, TransactionMode.Single).RunAsync(plan, CancellationToken.None));

        Assert.Equal("20250102_b", error.Revision);
        Assert.Equal("INSERT INTO b\nSELECT id FROM nowhere", error.Statement);
        Assert.Equal(7, error.Line);
        Assert.Equal("42P01", error.SqlState);
        Assert.Equal(30, error.Position);
        Assert.Empty(error.Committed);
        Assert.Contains("20250102_b.sql:7", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", error.Message, StringComparison.Ordinal);
        Assert.False(session.Inner.Executor.InTransaction);
        Assert.Empty(await session.Inner.History.ReadAppliedAsync(CancellationToken.None));
    }

    private static MigrationRunner Runner(IDatabaseSession session, TransactionMode mode, IMigrationObserver? observer = null, bool dryRun = false) => new(
        session,
        new RunOptions(mode, dryRun, LockRetries: 0, "deploy-1", new Actor("tester", "host", "1.0")),
        TimeProvider.System,
        observer ?? NullMigrationObserver.Instance);

    /// <summary>A linear chain of migrations, each parsed from the file text the tool would read.</summary>
    private static MigrationPlan Plan(params (string Id, string Upgrade, bool Transactional)[] migrations)
    {
        var steps = new List<Revision>();
        string? parent = null;
        foreach (var (id, upgrade, transactional) in migrations)
        {
            var text = Cli.MigrationText.File(parent, upgrade, transactional: transactional);
            var parsed = MigrationFileParser.Parse($"/migrations/{id}.sql", Encoding.UTF8.GetBytes(text), SqlDialects.PostgreSql);
            steps.Add(Revision.From(parsed.File ?? throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics))));
            parent = id;
        }

        return new MigrationPlan(MigrationDirection.Upgrade, steps);
    }

    private sealed class RecordingObserver : IMigrationObserver
    {
        public List<string> Events { get; } = [];

        public void StepStarted(StepProgress step) => Events.Add("started " + step.Revision.Id);

        public void StepFinished(StepProgress step, TimeSpan elapsed) => Events.Add("finished " + step.Revision.Id);

        public void Notice(string message) => Events.Add("notice " + message);
    }

    /// <summary>The real session, with an executor and a history store that note each call before passing it on.</summary>
    private sealed class RecordingSession : IDatabaseSession
    {
        private readonly IDatabaseSession _inner;
        private readonly RecordingExecutor _executor;
        private readonly RecordingHistory _history;

        public RecordingSession(IDatabaseSession inner)
        {
            _inner = inner;
            _executor = new RecordingExecutor(inner.Executor, inner.BatchExecutor!, Calls);
            _history = new RecordingHistory(inner.History, Calls);
        }

        public IDatabaseSession Inner => _inner;

        public List<string> Calls { get; } = [];

        public DatabaseTarget Target => _inner.Target;

        public ProviderCapabilities Capabilities => _inner.Capabilities;

        public string ServerVersion => _inner.ServerVersion;

        public int ServerVersionNumber => _inner.ServerVersionNumber;

        public IMigrationLock Lock => _inner.Lock;

        public IStatementExecutor Executor => _executor;

        public IHistoryStore History => _history;

        public IDatabaseInspector Inspector => _inner.Inspector;

        public IDatabaseCleaner Cleaner => _inner.Cleaner;

        public IBatchStatementExecutor BatchExecutor => _executor;

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    private sealed class RecordingExecutor(IStatementExecutor inner, IBatchStatementExecutor innerBatch, List<string> calls) : IStatementExecutor, IBatchStatementExecutor
    {
        public bool InTransaction => inner.InTransaction;

        public Task BeginTransactionAsync(CancellationToken cancellationToken) => inner.BeginTransactionAsync(cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        public Task RollbackAsync(CancellationToken cancellationToken) => inner.RollbackAsync(cancellationToken);

        public Task ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
        {
            calls.Add("statement " + statement.Text);
            return inner.ExecuteAsync(statement, cancellationToken);
        }

        public Task<long> ExecuteCountingAsync(SqlStatement statement, CancellationToken cancellationToken)
        {
            calls.Add("counted statement " + statement.Text);
            return inner.ExecuteCountingAsync(statement, cancellationToken);
        }

        public Task ExecuteBatchAsync(IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
        {
            calls.Add($"batch of {statements.Count}");
            return innerBatch.ExecuteBatchAsync(statements, cancellationToken);
        }
    }

    private sealed class RecordingHistory(IHistoryStore inner, List<string> calls) : IHistoryStore
    {
        public Task EnsureCreatedAsync(CancellationToken cancellationToken)
        {
            calls.Add("ensure history");
            return inner.EnsureCreatedAsync(cancellationToken);
        }

        public Task RecordAppliedAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken)
        {
            calls.Add($"record {rows.Count} rows");
            return inner.RecordAppliedAsync(rows, cancellationToken);
        }

        public Task<IReadOnlyList<AppliedRevision>> ReadAppliedAsync(CancellationToken cancellationToken) => inner.ReadAppliedAsync(cancellationToken);

        public Task RemoveAppliedAsync(IReadOnlyList<string> revisions, CancellationToken cancellationToken) => inner.RemoveAppliedAsync(revisions, cancellationToken);

        public Task SetBackfillStatementAsync(string revision, int? next, CancellationToken cancellationToken)
        {
            calls.Add($"backfill {revision} next {next?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            return inner.SetBackfillStatementAsync(revision, next, cancellationToken);
        }

        public Task ReplaceAllAsync(IReadOnlyList<AppliedRevision> rows, CancellationToken cancellationToken) => inner.ReplaceAllAsync(rows, cancellationToken);

        public Task<IReadOnlyList<AppliedRepeatable>> ReadRepeatablesAsync(CancellationToken cancellationToken) => inner.ReadRepeatablesAsync(cancellationToken);

        public Task RecordRepeatablesAsync(IReadOnlyList<AppliedRepeatable> rows, CancellationToken cancellationToken) => inner.RecordRepeatablesAsync(rows, cancellationToken);

        public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken) => inner.AppendAuditAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(CancellationToken cancellationToken) => inner.ReadAuditAsync(cancellationToken);
    }
}
