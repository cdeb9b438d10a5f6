using Npgsql;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Tests.Infrastructure;
using static ProbeOps.Migrate.Tests.Lint.LintTestSupport;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>
/// The messages must be true: each statement runs on a populated table of the real server, in a transaction that is
/// rolled back, and the lock (from pg_locks) and the rewrite (a new relfilenode) it really takes are compared with
/// what lint says.
/// </summary>
public sealed class LintTruthTests : IAsyncLifetime
{
    // pg_locks modes, weakest first.
    private static readonly string[] Modes =
    [
        "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
        "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
    ];

    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.Shared.CreateDatabaseAsync();
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(BaseSchema + """
            ;
            INSERT INTO accounts (id, email, name, balance, score, status)
                SELECT g, 'user' || g || '@example.com', 'name ' || g, g, g, 'active' FROM generate_series(1, 2000) g;
            INSERT INTO orders (id, account_id) SELECT g, g FROM generate_series(1, 2000) g;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("CREATE INDEX ix_accounts_email ON accounts (email)", "PL101", "accounts", false)]
    [InlineData("ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid()", "PL111", "accounts", true)]
    [InlineData("ALTER TABLE accounts ALTER COLUMN score TYPE bigint", "PL131", "accounts", true)]
    [InlineData("ALTER TABLE accounts ALTER COLUMN name SET NOT NULL", "PL121", "accounts", false)]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id)", "PL122", "orders", false)]
    [InlineData("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id)", "PL122", "accounts", false)]
    public async Task The_lock_and_rewrite_a_finding_claims_are_what_the_server_does(string sql, string code, string table, bool rewrites)
    {
        var finding = Assert.Single(LintChild(sql + ";").Findings);
        Assert.Equal(code, finding.Code);
        Assert.Equal(rewrites, finding.Message.Contains("rewrites", StringComparison.Ordinal));
        Assert.Contains(table, finding.Message, StringComparison.Ordinal);

        var (mode, rewritten, _) = await RunAndRollBackAsync(sql, table);
        Assert.Equal(finding.Lock!.Replace(" ", "", StringComparison.Ordinal), mode[..^"Lock".Length], ignoreCase: true);
        Assert.Equal(rewrites, rewritten);
    }

    [Theory]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE varchar(200)")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN email TYPE text")]
    [InlineData("ALTER TABLE accounts ALTER COLUMN balance TYPE numeric(14, 2)")]
    [InlineData("ALTER TABLE accounts ADD COLUMN plan text NOT NULL DEFAULT 'free'")]
    public async Task What_lint_leaves_alone_rewrites_nothing(string sql)
    {
        Assert.Empty(LintChild(sql + ";").Findings);
        var (_, rewritten, _) = await RunAndRollBackAsync(sql, "accounts");
        Assert.False(rewritten);
    }

    [Fact]
    public async Task Set_not_null_skips_its_scan_only_behind_a_validated_check()
    {
        const string setNotNull = "ALTER TABLE accounts ALTER COLUMN name SET NOT NULL";
        var (_, _, withoutCheck) = await RunAndRollBackAsync(setNotNull, "accounts");
        Assert.DoesNotContain(withoutCheck, n => n.Contains("sufficient to prove", StringComparison.Ordinal));

        await using (var connection = await OpenAsync())
        await using (var add = new NpgsqlCommand("ALTER TABLE accounts ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID; ALTER TABLE accounts VALIDATE CONSTRAINT name_nn", connection))
            await add.ExecuteNonQueryAsync();
        var (_, _, withCheck) = await RunAndRollBackAsync(setNotNull, "accounts");
        Assert.Contains(withCheck, n => n.Contains("sufficient to prove", StringComparison.Ordinal));
    }

    /// <summary>Runs <paramref name="sql"/> in a transaction, then reads the strongest lock it holds on <paramref name="table"/>, whether the table got a new file, and the server's messages; rolls back.</summary>
    private async Task<(string Mode, bool Rewritten, List<string> Notices)> RunAndRollBackAsync(string sql, string table)
    {
        await using var connection = await OpenAsync();
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add(e.Notice.MessageText);
        await using var transaction = await connection.BeginTransactionAsync();
        var before = await ScalarAsync<uint>(connection, $"SELECT relfilenode FROM pg_class WHERE oid = '{table}'::regclass");
        await ScalarAsync<int>(connection, "SELECT 1; SET LOCAL client_min_messages = debug1");
        await using (var run = new NpgsqlCommand(sql, connection))
            await run.ExecuteNonQueryAsync();
        var after = await ScalarAsync<uint>(connection, $"SELECT relfilenode FROM pg_class WHERE oid = '{table}'::regclass");
        var modes = new List<string>();
        await using (var locks = new NpgsqlCommand($"SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = '{table}'::regclass", connection))
        await using (var reader = await locks.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                modes.Add(reader.GetString(0));
        }

        await transaction.RollbackAsync();
        return (modes.MaxBy(m => Array.IndexOf(Modes, m))!, before != after, notices);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_database.Target.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
