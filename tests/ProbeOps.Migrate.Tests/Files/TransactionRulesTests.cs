using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

public class TransactionRulesTests
{
    private static string? Find(string text, ISqlDialect? dialect = null) =>
        (dialect ?? SqlDialects.PostgreSql).FindNonTransactionalCommand(new SqlStatement(text, 1));

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [InlineData("create unique index concurrently if not exists i on t (a)", "CREATE INDEX CONCURRENTLY")]
    [InlineData("CREATE INDEX CONCURRENTLY ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [InlineData("-- build it online\n/* big table */ CREATE\n  INDEX /* x */ CONCURRENTLY i ON t (a)", "CREATE INDEX CONCURRENTLY")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS i", "DROP INDEX CONCURRENTLY")]
    [InlineData("REINDEX INDEX CONCURRENTLY i", "REINDEX CONCURRENTLY")]
    [InlineData("REINDEX (VERBOSE) TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY")]
    [InlineData("REINDEX (CONCURRENTLY) TABLE t", "REINDEX CONCURRENTLY")]
    [InlineData("REINDEX (VERBOSE, CONCURRENTLY true) TABLE t", "REINDEX CONCURRENTLY")]
    [InlineData("REINDEX SCHEMA public", "REINDEX SCHEMA")]
    [InlineData("REINDEX DATABASE app", "REINDEX DATABASE")]
    [InlineData("REINDEX SYSTEM", "REINDEX SYSTEM")]
    [InlineData("ALTER TABLE measurements DETACH PARTITION measurements_2024 CONCURRENTLY", "ALTER TABLE ... DETACH PARTITION CONCURRENTLY")]
    [InlineData("ALTER TABLE IF EXISTS ONLY public.\"m\" DETACH PARTITION archive.\"m 2024\" CONCURRENTLY", "ALTER TABLE ... DETACH PARTITION CONCURRENTLY")]
    [InlineData("VACUUM", "VACUUM")]
    [InlineData("vacuum (verbose, analyze) t", "VACUUM")]
    [InlineData("CREATE DATABASE app", "CREATE DATABASE")]
    [InlineData("DROP DATABASE IF EXISTS app", "DROP DATABASE")]
    [InlineData("ALTER DATABASE app SET TABLESPACE fast", "ALTER DATABASE ... SET TABLESPACE")]
    [InlineData("ALTER SYSTEM SET work_mem = '64MB'", "ALTER SYSTEM")]
    [InlineData("CREATE TABLESPACE fast LOCATION '/ssd'", "CREATE TABLESPACE")]
    [InlineData("DROP TABLESPACE fast", "DROP TABLESPACE")]
    [InlineData("CLUSTER", "CLUSTER")]
    [InlineData("CLUSTER VERBOSE", "CLUSTER")]
    [InlineData("CLUSTER (VERBOSE)", "CLUSTER")]
    public void Rules_find_postgresql_commands_refused_in_a_transaction(string statement, string command)
    {
        Assert.Equal(command, Find(statement));
    }

    [Theory]
    [InlineData("CREATE INDEX i ON t (a)")]
    [InlineData("CREATE INDEX \"concurrently\" ON t (a)")]
    [InlineData("CREATE TABLE t (\"concurrently\" int)")]
    [InlineData("CREATE UNIQUE INDEX i ON t (concurrently)")]
    [InlineData("DROP INDEX i")]
    [InlineData("DROP TABLE vacuum_log")]
    [InlineData("REINDEX TABLE t")]
    [InlineData("REINDEX INDEX i")]
    [InlineData("REINDEX (CONCURRENTLY false) TABLE t")]
    [InlineData("REINDEX (CONCURRENTLY off, VERBOSE) TABLE t")]
    [InlineData("ALTER TABLE m DETACH PARTITION m_2024")]
    [InlineData("ALTER TABLE m DETACH PARTITION m_2024 FINALIZE")]
    [InlineData("ALTER TABLE m DETACH PARTITION concurrently")]
    [InlineData("ALTER TABLE m ADD COLUMN concurrently int")]
    [InlineData("ALTER TABLE m ATTACH PARTITION p FOR VALUES IN (1)")]
    [InlineData("ALTER DATABASE app SET work_mem = '64MB'")]
    [InlineData("ALTER DATABASE app SET default_tablespace = fast")]
    [InlineData("CLUSTER t USING t_pkey")]
    [InlineData("CLUSTER VERBOSE t")]
    [InlineData("CLUSTER (VERBOSE) t")]
    [InlineData("ANALYZE t")]
    [InlineData("SELECT 'VACUUM'")]
    [InlineData("-- VACUUM later\nSELECT 1")]
    [InlineData("/* CREATE INDEX CONCURRENTLY */ CREATE INDEX i ON t (a)")]
    [InlineData("INSERT INTO jobs (cmd) VALUES ('CREATE DATABASE x')")]
    [InlineData("SELECT $$VACUUM$$")]
    [InlineData("\"VACUUM\"")]
    [InlineData("CREATE TABLE vacuum (a int)")]
    [InlineData("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'VACUUM'; END $$")]
    [InlineData("")]
    [InlineData("-- only a comment")]
    public void Rules_allow_postgresql_statements_that_run_in_a_transaction(string statement)
    {
        Assert.Null(Find(statement));
    }

    [Theory]
    [InlineData("VACUUM", "VACUUM")]
    [InlineData("vacuum main", "VACUUM")]
    [InlineData("VACUUM INTO 'backup.db'", "VACUUM")]
    [InlineData("-- compact\nVACUUM", "VACUUM")]
    public void Rules_find_sqlite_vacuum(string statement, string command)
    {
        Assert.Equal(command, Find(statement, SqlDialects.Sqlite));
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)")]
    [InlineData("CREATE DATABASE app")]
    [InlineData("SELECT 'VACUUM'")]
    [InlineData("SELECT [VACUUM] FROM t")]
    [InlineData("`VACUUM`")]
    [InlineData("CREATE TABLE t (a)")]
    public void Rules_allow_other_sqlite_statements(string statement)
    {
        Assert.Null(Find(statement, SqlDialects.Sqlite));
    }
}
