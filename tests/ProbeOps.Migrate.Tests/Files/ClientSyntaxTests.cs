using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Sql;
using static ProbeOps.Migrate.Tests.Files.FileTestSupport;

namespace ProbeOps.Migrate.Tests.Files;

/// <summary>What psql reads beyond SQL: <c>COPY ... FROM STDIN</c> with its data, meta-commands and variables.</summary>
public class ClientSyntaxTests
{
    private const string CopyFile = """
        -- revision: 20250515_add_tier_limits
        -- down_revision: none

        -- migrate:upgrade
        CREATE TABLE tiers (name text, max_probes int);
        -- the seed rows
        COPY tiers (name, max_probes) FROM stdin;
        free	5
        semi;colon	7
        it's	\N
        \.
        CREATE INDEX tiers_name ON tiers (name);
        """;

    [Fact]
    public void Copy_from_stdin_keeps_its_data_lines_with_it_and_splitting_goes_on_after_the_closing_line()
    {
        var file = Ok(Parse(CopyFile));

        var statements = file.Upgrade.Statements;
        Assert.Equal(["CREATE TABLE tiers (name text, max_probes int)", "-- the seed rows\nCOPY tiers (name, max_probes) FROM stdin", "CREATE INDEX tiers_name ON tiers (name)"],
            statements.Select(s => s.Text));
        Assert.Equal([5, 6, 12], statements.Select(s => s.Line));
        var copy = statements[1].Copy;
        Assert.NotNull(copy);
        Assert.Equal("COPY tiers (name, max_probes) FROM stdin", copy.Command);
        Assert.Equal("free\t5\nsemi;colon\t7\nit's\t\\N\n", copy.Data);
        Assert.Equal(8, copy.FirstLine);
        Assert.Null(statements[0].Copy);
    }

    [Fact]
    public void Copy_with_options_after_stdin_and_an_empty_data_block_is_read()
    {
        var split = SqlDialects.PostgreSql.Split("COPY t FROM STDIN WITH (FORMAT csv, HEADER);\na,b\n1,\"x;y\"\n\\.\nCOPY t FROM stdin;\n\\.\nSELECT 1;");

        Assert.Null(split.Unterminated);
        Assert.Equal(3, split.Statements.Count);
        Assert.Equal("a,b\n1,\"x;y\"\n", split.Statements[0].Copy!.Data);
        Assert.Equal("", split.Statements[1].Copy!.Data);
        Assert.Equal("SELECT 1", split.Statements[2].Text);
    }

    [Theory]
    [InlineData("COPY t TO STDOUT;\nSELECT 1;")]
    [InlineData("COPY t FROM '/tmp/file';\nSELECT 1;")]
    [InlineData("SELECT 'COPY t FROM STDIN';\nSELECT 1;")]
    public void Other_copies_and_quoted_text_take_no_data(string sql)
    {
        var split = SqlDialects.PostgreSql.Split(sql);

        Assert.Equal(2, split.Statements.Count);
        Assert.All(split.Statements, s => Assert.Null(s.Copy));
    }

    [Fact]
    public void Copy_from_stdin_whose_data_is_never_closed_is_PM116_at_the_copy()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade\nCREATE TABLE t (a int);\nCOPY t FROM stdin;\n1\n2\n");

        var diagnostic = Single(result, DiagnosticCodes.UnterminatedSql, 4);
        Assert.Contains("COPY ... FROM STDIN", diagnostic.Message);
        Assert.Contains("\\.", diagnostic.Message);
    }

    [Fact]
    public void Copy_from_stdin_in_a_sqlite_file_is_PM118()
    {
        var result = Parse(CopyFile, dialect: SqlDialects.Sqlite);

        var diagnostic = Single(result, DiagnosticCodes.CopyNotSupported, 6);
        Assert.Contains("SQLite has no COPY", diagnostic.Message);
    }

    [Theory]
    [InlineData("\\set ON_ERROR_STOP on\nCREATE TABLE a (id int);", 3, "\\set")]
    [InlineData("CREATE TABLE a (id int);\nSELECT 1 AS x \\gset", 4, "\\gset")]
    [InlineData("CREATE TABLE a (id int);\n\n\\i other.sql", 5, "\\i")]
    public void Psql_meta_commands_are_PM117_naming_the_command_and_line(string upgrade, int line, string command)
    {
        var result = Parse($"-- down_revision: none\n-- migrate:upgrade\n{upgrade}\n");

        var diagnostic = Single(result, DiagnosticCodes.PsqlSyntax, line);
        Assert.Contains($"`{command}` is a psql meta-command", diagnostic.Message);
    }

    [Theory]
    [InlineData("CREATE TABLE a (id int);\nINSERT INTO a VALUES (:id);", ":id")]
    [InlineData("CREATE TABLE a (id int);\nCREATE ROLE :\"role\";", ":\"role\"")]
    [InlineData("CREATE TABLE a (id int);\nCOMMENT ON TABLE a IS :'note';", ":'note'")]
    public void Psql_variables_outside_strings_are_PM117(string upgrade, string variable)
    {
        foreach (var dialect in SqlDialects.All)
        {
            var diagnostic = Single(Parse($"-- down_revision: none\n-- migrate:upgrade\n{upgrade}\n", dialect: dialect), DiagnosticCodes.PsqlSyntax, 4);
            Assert.Contains($"`{variable}", diagnostic.Message);
            Assert.Contains("psql variable", diagnostic.Message);
        }
    }

    [Theory]
    [InlineData("SELECT '1'::int, x::text FROM t;")]
    [InlineData("SELECT (a)[1:n], a[lo:hi] FROM t;")]
    [InlineData("SELECT f(a := 1);")]
    [InlineData("SELECT ':id \\set', E'\\\\gset';")]
    [InlineData("DO $$ BEGIN x := 1; END $$;")]
    [InlineData("-- :id and \\set in a comment\nSELECT 1;")]
    public void Casts_slices_assignments_strings_and_comments_are_not_psql_syntax(string upgrade)
    {
        Ok(Parse($"-- down_revision: none\n-- migrate:upgrade\n{upgrade}\n"));
    }
}
