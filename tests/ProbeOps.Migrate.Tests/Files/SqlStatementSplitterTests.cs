using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

public class SqlStatementSplitterTests
{
    private static (string Text, int Line)[] Split(string sql, string dialect = "postgresql", int firstLine = 1) =>
        Dialect(dialect).Split(sql, firstLine).Statements.Select(s => (s.Text, s.Line)).ToArray();

    private static ISqlDialect Dialect(string name) => SqlDialects.FromName(name)!;

    [Fact]
    public void Splitter_cuts_at_semicolons_and_trims_with_file_lines()
    {
        Assert.Equal(
            [("CREATE TABLE a (id int)", 10), ("CREATE TABLE b (id int)", 12), ("SELECT 1", 12), ("SELECT\n  2", 13)],
            Split("CREATE TABLE a (id int);\n\n  CREATE TABLE b (id int); SELECT 1 ;\nSELECT\n  2", firstLine: 10));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData(";;;\n;")]
    [InlineData("-- just a comment\n/* and a block */ ;")]
    public void Splitter_drops_empty_statements(string sql)
    {
        Assert.Empty(Split(sql));
        Assert.Empty(Split(sql, "sqlite"));
    }

    [Fact]
    public void Splitter_keeps_leading_comments_with_the_statement_and_starts_its_line_there()
    {
        Assert.Equal(
            [("SELECT 1", 1), ("-- the users\n/* all of them */\nCREATE TABLE users (id int)", 3), ("SELECT 2", 6)],
            Split("SELECT 1; -- about the first\n\n-- the users\n/* all of them */\nCREATE TABLE users (id int) -- trailing\n;SELECT 2;\n-- done"));
    }

    [Fact]
    public void Splitter_leaves_out_comments_after_the_last_token_so_text_plus_semicolon_is_complete()
    {
        var statement = Assert.Single(Split("SELECT 1 -- one\n/* two */\n;"));
        Assert.Equal(("SELECT 1", 1), statement);
    }

    [Fact]
    public void Splitter_keeps_comments_inside_a_statement()
    {
        Assert.Equal([("SELECT /* ; */ 1 -- ;\n + 2", 1)], Split("SELECT /* ; */ 1 -- ;\n + 2;"));
    }

    [Fact]
    public void Splitter_keeps_the_last_statement_without_a_semicolon()
    {
        Assert.Equal([("SELECT 1", 1), ("SELECT 2", 2)], Split("SELECT 1;\nSELECT 2\n\n"));
    }

    [Theory]
    [InlineData("SELECT 'a;b''c;'")]
    [InlineData("SELECT E'it\\'s; \\\\'")]
    [InlineData("SELECT e'\\\\'")]
    [InlineData("SELECT U&'d\\0061t;a'")]
    [InlineData("SELECT N'x;y', B'10;', X'ab;'")]
    [InlineData("SELECT \"a;\"\"b\" FROM t")]
    [InlineData("SELECT U&\"d;\\0061\"")]
    [InlineData("SELECT $$;$ $ ;$$")]
    [InlineData("CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql")]
    [InlineData("SELECT $a$ $$;$$ $b$;$b$ $a$")]
    [InlineData("SELECT $_1$;$_1$")]
    [InlineData("SELECT /* ; /* nested ; */ still ; */ 1")]
    [InlineData("SELECT 1 -- ; not here\n + 1")]
    [InlineData("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))")]
    public void Splitter_does_not_cut_inside_postgresql_quoting(string statement)
    {
        var next = 3 + statement.Count(c => c == '\n');
        Assert.Equal([(statement, 2), ("SELECT 2", next)], Split($"\n{statement};\nSELECT 2;"));
    }

    [Fact]
    public void Splitter_treats_a_plain_string_backslash_as_literal()
    {
        // standard_conforming_strings: '\' is a one-character string, so the ; after it splits.
        Assert.Equal([("SELECT '\\'", 1), ("SELECT 2", 1)], Split("SELECT '\\'; SELECT 2;"));
    }

    [Fact]
    public void Splitter_does_not_take_positional_parameters_or_identifier_dollars_for_dollar_quotes()
    {
        Assert.Equal(
            [("PREPARE p AS SELECT $1 + $2", 1), ("SELECT a$b$c FROM t$1", 2), ("SELECT 3", 3)],
            Split("PREPARE p AS SELECT $1 + $2;\nSELECT a$b$c FROM t$1;\nSELECT 3;"));
    }

    [Fact]
    public void Splitter_keeps_a_begin_atomic_body_whole_with_case_inside()
    {
        const string Function = """
            CREATE FUNCTION grade(score int) RETURNS text
            LANGUAGE SQL
            BEGIN ATOMIC
              INSERT INTO audit VALUES (score);
              SELECT CASE WHEN score > 90 THEN 'a' ELSE CASE WHEN score > 50 THEN 'b' ELSE 'c' END END;
            END
            """;
        Assert.Equal([(Function, 1), ("SELECT grade(1)", 7)], Split(Function + ";\nSELECT grade(1);"));
    }

    [Fact]
    public void Splitter_finds_begin_atomic_across_comments_in_any_case()
    {
        const string Procedure = "create procedure p() begin /* x */ -- y\n atomic insert into t values (1); end";
        Assert.Equal([(Procedure, 1), ("SELECT 2", 3)], Split(Procedure + ";\nSELECT 2;"));
    }

    [Fact]
    public void Splitter_cuts_a_plain_begin_transaction_statement()
    {
        Assert.Equal([("BEGIN", 1), ("SELECT 1", 1), ("END", 1)], Split("BEGIN; SELECT 1; END;"));
    }

    [Fact]
    public void Splitter_recovers_from_a_stray_closing_parenthesis()
    {
        Assert.Equal([("SELECT 1)", 1), ("SELECT 2", 1)], Split("SELECT 1); SELECT 2;"));
    }

    [Theory]
    [InlineData("SELECT 'never closed; SELECT 2;", "string", "postgresql")]
    [InlineData("SELECT $$ never closed; SELECT 2;", "dollar-quoted string", "postgresql")]
    [InlineData("SELECT $$ never closed; SELECT 2;$", "dollar-quoted string", "postgresql")]
    [InlineData("SELECT /* never closed; SELECT 2;", "block comment", "postgresql")]
    [InlineData("SELECT /* /* nested */ closed once only", "block comment", "postgresql")]
    [InlineData("SELECT \"never closed; SELECT 2;", "quoted identifier", "postgresql")]
    [InlineData("SELECT E'never closed\\';", "string", "postgresql")]
    [InlineData("SELECT 'a''", "string", "postgresql")]
    [InlineData("SELECT [never closed; SELECT 2;", "quoted identifier", "sqlite")]
    [InlineData("SELECT `never closed; SELECT 2;", "quoted identifier", "sqlite")]
    [InlineData("SELECT /* never closed; SELECT 2;", "block comment", "sqlite")]
    public void Splitter_keeps_an_unclosed_quote_or_comment_to_the_end_and_says_so(string sql, string what, string dialect)
    {
        var result = Dialect(dialect).Split("SELECT 1;\n" + sql, 7);

        Assert.Equal([("SELECT 1", 7), (sql, 8)], result.Statements.Select(s => (s.Text, s.Line)));
        Assert.Equal(what, result.Unterminated);
        Assert.Equal(8, result.UnterminatedLine);
    }

    [Fact]
    public void Splitter_keeps_an_unclosed_block_comment_after_the_last_statement()
    {
        var result = SqlDialects.Sqlite.Split("SELECT 1;\n\n/* forgot to close\nCREATE TABLE t (a int);");

        Assert.Equal([("SELECT 1", 1), ("/* forgot to close\nCREATE TABLE t (a int);", 3)], result.Statements.Select(s => (s.Text, s.Line)));
        Assert.Equal(3, result.UnterminatedLine);
    }

    [Theory]
    [InlineData("SELECT 'closed at the end'")]
    [InlineData("SELECT $$ closed $$")]
    [InlineData("SELECT /* closed */ 1 /**/")]
    [InlineData("SELECT 1 -- a line comment ends at the end")]
    [InlineData("SELECT E'\\\\'")]
    public void Splitter_does_not_flag_quotes_closed_right_at_the_end(string sql)
    {
        Assert.Null(SqlDialects.PostgreSql.Split(sql).Unterminated);
    }

    [Theory]
    [InlineData("SELECT 'a;b''c'")]
    [InlineData("SELECT \"a;\"\"b\"")]
    [InlineData("SELECT [a;b] FROM [t;]")]
    [InlineData("SELECT `a;``b`")]
    [InlineData("SELECT /* ; */ 1")]
    [InlineData("SELECT x'ab;'")]
    public void Splitter_does_not_cut_inside_sqlite_quoting(string statement)
    {
        Assert.Equal([(statement, 1), ("SELECT 2", 2)], Split($"{statement};\nSELECT 2;", "sqlite"));
    }

    [Fact]
    public void Splitter_does_not_nest_sqlite_block_comments()
    {
        Assert.Equal([("SELECT /* /* */ 1", 1), ("SELECT 2", 1)], Split("SELECT /* /* */ 1; SELECT 2;", "sqlite"));
    }

    [Fact]
    public void Splitter_does_not_read_dollar_quotes_in_sqlite()
    {
        Assert.Equal([("SELECT $a", 1), ("SELECT $a", 1)], Split("SELECT $a; SELECT $a;", "sqlite"));
    }

    [Fact]
    public void Splitter_keeps_a_sqlite_trigger_body_whole_with_case_inside()
    {
        const string Trigger = """
            CREATE TRIGGER IF NOT EXISTS users_audit AFTER UPDATE ON users
            WHEN CASE WHEN new.name IS NULL THEN 0 ELSE 1 END
            BEGIN
              INSERT INTO audit (note) VALUES ('updated; really');
              UPDATE counters SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END;
            END
            """;
        Assert.Equal([(Trigger, 1), ("SELECT 1", 7)], Split(Trigger + ";\nSELECT 1;", "sqlite"));
    }

    [Theory]
    [InlineData("CREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END")]
    [InlineData("create temporary trigger t after insert on a begin delete from b; end")]
    public void Splitter_keeps_a_temporary_sqlite_trigger_whole(string trigger)
    {
        Assert.Equal([(trigger, 1), ("SELECT 1", 1)], Split(trigger + "; SELECT 1;", "sqlite"));
    }

    [Fact]
    public void Splitter_cuts_sqlite_begin_and_end_transaction_statements()
    {
        Assert.Equal([("BEGIN", 1), ("CREATE TABLE t (a)", 1), ("END", 1)], Split("BEGIN; CREATE TABLE t (a); END;", "sqlite"));
    }

    [Fact]
    public void Splitter_counts_lines_inside_multiline_strings_and_comments()
    {
        Assert.Equal(
            [("SELECT 'a\nb\nc'", 1), ("/* x\ny */ SELECT $$\n$$", 4), ("SELECT 3", 7)],
            Split("SELECT 'a\nb\nc';\n/* x\ny */ SELECT $$\n$$;\nSELECT 3"));
    }

    [Fact]
    public void Splitter_counts_lines_of_crlf_text()
    {
        Assert.Equal([("SELECT 1", 1), ("SELECT 2", 3)], Split("SELECT 1;\r\n\r\nSELECT 2;"));
    }

    [Fact]
    public void Splitter_stays_linear_on_one_long_line_of_statements_and_comments()
    {
        // A quadratic rescan of the line after each ';' would take minutes here.
        var sql = string.Concat(Enumerable.Repeat("SELECT 1; /* c */ /* d */ ", 100_000)) + "-- end";

        var statements = SqlDialects.PostgreSql.Split(sql).Statements;

        Assert.Equal(100_000, statements.Count);
        Assert.All(statements, s => Assert.Equal(("SELECT 1", 1), (s.Text, s.Line)));
    }
}
