using ProbeOps.Migrate.Providers;
using ProbeOps.Migrate.Providers.PostgreSql;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Providers.PostgreSql;

public class PostgreSqlRestoreScriptTests
{
    private static readonly PostgreSqlRestoreScript Script = new(new HistorySql(PostgreSqlDialect.Instance, new HistoryTableName("h", "ops")));

    [Fact]
    public void The_head_opens_the_transaction_keeps_the_audit_rows_aside_then_drops()
    {
        Assert.Equal(
            """
            BEGIN;
            LOCK TABLE "ops"."h_audit" IN ACCESS EXCLUSIVE MODE;
            CREATE TEMPORARY TABLE probeops_kept_audit ON COMMIT DROP AS SELECT * FROM "ops"."h_audit";
            ALTER TABLE pg_temp.probeops_kept_audit ADD COLUMN IF NOT EXISTS environment text;
            DROP SCHEMA IF EXISTS "ops" CASCADE;

            """,
            Script.Head(auditExists: true, ["DROP SCHEMA IF EXISTS \"ops\" CASCADE"]).ReplaceLineEndings("\n"));
        Assert.Equal("BEGIN;\n", Script.Head(auditExists: false, []));
    }

    [Fact]
    public void The_tail_puts_the_kept_rows_back_ids_and_sequence_included_then_commits()
    {
        const string columns = "id, deploy_id, operation, revisions, applied_by, host, tool_version, started_at, finished_at, outcome, detail, environment";
        var tail = Script.Tail(auditExists: true);

        Assert.StartsWith("\nDO $$BEGIN IF to_regnamespace('\"ops\"') IS NULL THEN CREATE SCHEMA \"ops\"; END IF; END$$;\nCREATE TABLE IF NOT EXISTS \"ops\".\"h_audit\" (", tail, StringComparison.Ordinal);
        Assert.EndsWith(
            $"""
            ALTER TABLE "ops"."h_audit" ADD COLUMN IF NOT EXISTS environment text;
            DELETE FROM "ops"."h_audit";
            INSERT INTO "ops"."h_audit" ({columns}) OVERRIDING SYSTEM VALUE SELECT {columns} FROM pg_temp.probeops_kept_audit ORDER BY id;
            SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('"ops"."h_audit"', 'id'), max(id)) FROM "ops"."h_audit" HAVING max(id) IS NOT NULL;
            COMMIT;

            """.ReplaceLineEndings("\n"),
            tail,
            StringComparison.Ordinal);
        Assert.Equal("\nCOMMIT;\n", Script.Tail(auditExists: false));
    }

    [Theory]
    [InlineData(52, true)]
    [InlineData(53, false)]
    public void A_history_table_name_fits_when_its_longest_table_beside_it_is_at_most_63_bytes(int length, bool fits)
    {
        var history = new HistoryTableName(new string('h', length));

        var error = Record.Exception(history.Validate);

        Assert.Equal(fits, error is null);
        if (!fits)
        {
            Assert.Equal(FailureKind.Usage, Assert.IsType<MigrateException>(error).Kind);
            Assert.Contains("at most 52 bytes", error.Message, StringComparison.Ordinal);
        }
    }
}
