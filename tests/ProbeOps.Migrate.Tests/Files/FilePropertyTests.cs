using System.Text;
using CsCheck;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

/// <summary>Random and half-random input: the parser and splitter never throw and keep their invariants.</summary>
public class FilePropertyTests
{
    // Pieces that exercise every branch of the parser: header lines good and bad, markers good and bad,
    // quoting that spans lines, line ending variants, stray bytes.
    private static readonly string[] Fragments =
    [
        "-- revision: r1", "-- revision: head", "-- revision:", "-- down_revision: none", "-- down_revision: a, b",
        "-- down_revision: a,,a", "-- down_revison: x", "-- message: m: n", "-- revision x", "--", "-- note",
        "-- migrate:upgrade", "-- migrate:downgrade", "-- migrate:upgrade transaction:false",
        "-- migrate:downgrade transaction:maybe", "--migrate:upgrade", "-- migrate:", "-- migrate: up",
        "SELECT 1;", "CREATE INDEX CONCURRENTLY i ON t (a);", "VACUUM", "'", "\"", "$$", "$a$", "E'\\'", "/*", "*/",
        "BEGIN ATOMIC", "CASE", "END", "(", ")", ";", "\n", "\r\n", "\r", " ", "\t", "é", "\uFEFF", "\0",
    ];

    private static readonly Gen<string> Mixed =
        Gen.OneOfConst(Fragments).Array[0, 40].Select(parts => string.Concat(parts));

    private static void AssertWellFormed(MigrationFileParseResult result, string path)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.Equal(path, diagnostic.File);
            Assert.True(diagnostic.Line >= 1, diagnostic.ToString());
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        }

        Assert.Equal(result.Diagnostics.Any(d => d.IsError), result.File is null);
        if (result.File is { } file)
        {
            Assert.Equal(MigrationChecksum.Compute(file.Upgrade.Sql), file.Checksum);
            Assert.DoesNotContain('\r', file.Upgrade.Sql);
        }
    }

    [Fact]
    public void Parser_never_throws_on_random_bytes()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            var result = MigrationFileParser.Parse("20250101_x.sql", bytes, SqlDialects.PostgreSql);
            AssertWellFormed(result, "20250101_x.sql");
        }, iter: 3000);
    }

    [Fact]
    public void Parser_never_throws_on_random_text_or_file_names()
    {
        Gen.Select(Gen.String, Gen.String).Sample((name, text) =>
        {
            var result = MigrationFileParser.Parse(name, Encoding.UTF8.GetBytes(text), SqlDialects.PostgreSql);
            AssertWellFormed(result, name);
        }, iter: 3000);
    }

    [Fact]
    public void Parser_never_throws_on_shuffled_migration_fragments()
    {
        Mixed.Sample(text =>
        {
            var result = MigrationFileParser.Parse("20250101_x.sql", Encoding.UTF8.GetBytes(text), SqlDialects.PostgreSql);
            AssertWellFormed(result, "20250101_x.sql");
        }, iter: 5000);
    }

    [Fact]
    public void Parser_gives_the_same_outcome_for_lf_crlf_cr_and_bom_variants()
    {
        Mixed.Where(text => !text.Contains('\r', StringComparison.Ordinal) && !text.Contains('\uFEFF', StringComparison.Ordinal))
            .Sample(text =>
            {
                var lf = MigrationFileParser.Parse("20250101_x.sql", Encoding.UTF8.GetBytes(text), SqlDialects.PostgreSql);
                foreach (var variant in new[]
                {
                    Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal)),
                    Encoding.UTF8.GetBytes(text.Replace("\n", "\r", StringComparison.Ordinal)),
                    [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
                })
                {
                    var other = MigrationFileParser.Parse("20250101_x.sql", variant, SqlDialects.PostgreSql);
                    Assert.Equal(lf.Diagnostics, other.Diagnostics);
                    Assert.Equal(lf.File?.Checksum, other.File?.Checksum);
                    Assert.Equal(lf.File?.Upgrade, other.File?.Upgrade);
                }
            }, iter: 2000);
    }

    private static readonly Gen<string> SqlText =
        Gen.String[Gen.Char["ab ;'\"$1_/*-\n\\()[]`EeCASEBGINTOMDRCUPHLQVY"], 0, 120];

    [Fact]
    public void Splitter_and_rules_never_throw_and_keep_lines_in_order()
    {
        Gen.Select(SqlText, Gen.Int[1, 1000], Gen.Bool).Sample((sql, firstLine, postgres) =>
        {
            var dialect = postgres ? SqlDialects.PostgreSql : SqlDialects.Sqlite;
            var statements = dialect.Split(sql, firstLine).Statements;
            var lastLine = firstLine + sql.Count(c => c == '\n');
            var previous = firstLine;
            foreach (var statement in statements)
            {
                Assert.NotEqual("", statement.Text);
                Assert.Equal(statement.Text.TrimStart(), statement.Text);
                Assert.InRange(statement.Line, previous, lastLine);
                previous = statement.Line;
                _ = dialect.FindNonTransactionalCommand(statement);
            }
        }, iter: 5000);
    }

    // Complete statements whose quoting hides semicolons, newlines and keywords.
    private static readonly string[] PostgresStatements =
    [
        "SELECT 1", "SELECT 'a;b'", "SELECT E'x\\';'", "SELECT $$;\n;$$", "SELECT $f$ $$ ; $f$", "SELECT \"c;\"\"\"",
        "SELECT /* ; /* ; */ */ 2", "SELECT 1 -- ;\n + 1", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END",
        "PREPARE p AS SELECT $1", "INSERT INTO t VALUES ('\n')", "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)",
    ];

    private static readonly string[] SqliteStatements =
    [
        "SELECT 1", "SELECT 'a;b'", "SELECT [c;]", "SELECT `c;``d`", "SELECT \"c;\"", "SELECT /* ; */ 2",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; DELETE FROM b; END",
        "CREATE TEMP TRIGGER u BEFORE DELETE ON a BEGIN SELECT ';'; END",
    ];

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    public void Splitter_gives_back_the_statements_that_were_joined(string dialect)
    {
        var pool = dialect == "postgresql" ? PostgresStatements : SqliteStatements;
        var separator = Gen.OneOfConst(";", ";\n", " ;\n\n", ";-- after\n", ";\n/* next */\n");
        Gen.Select(Gen.OneOfConst(pool), separator).Array[1, 12].Sample(parts =>
        {
            var sql = new StringBuilder();
            var expected = new List<(string, int)>();
            var line = 1;
            string? comment = null;
            foreach (var (statement, sep) in parts)
            {
                // A comment on its own line before a statement belongs to it and starts it.
                expected.Add(comment is null ? (statement, line) : (comment + statement, line - 1));
                sql.Append(statement).Append(sep);
                line += (statement + sep).Count(c => c == '\n');
                comment = sep.EndsWith("/* next */\n", StringComparison.Ordinal) ? "/* next */\n" : null;
            }

            var actual = SqlDialects.FromName(dialect)!.Split(sql.ToString()).Statements.Select(s => (s.Text, s.Line));
            Assert.Equal(expected, actual);
        }, iter: 2000);
    }
}
