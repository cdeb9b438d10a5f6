using System.Text;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;
using static ProbeOps.Migrate.Tests.Files.FileTestSupport;

namespace ProbeOps.Migrate.Tests.Files;

public class MigrationFileParserTests
{
    [Fact]
    public void Parser_reads_header_sections_and_checksum_of_a_good_file()
    {
        var file = Ok(Parse(GoodFile));

        Assert.Equal(GoodName, file.Path);
        Assert.Equal("20250515_add_tier_limits", file.Revision);
        Assert.Equal(["20250514_create_base_schema"], file.DownRevisions);
        Assert.Equal("Add tier limits", file.Message);
        Assert.Equal(1, file.RevisionLine);
        Assert.Equal(2, file.DownRevisionLine);
        Assert.Equal(5, file.Upgrade.MarkerLine);
        Assert.True(file.Upgrade.Transactional);
        Assert.Equal(
            "CREATE TABLE tier_limits (id int PRIMARY KEY, tier text NOT NULL);\nCREATE INDEX tier_limits_tier ON tier_limits (tier);",
            file.Upgrade.Sql);
        Assert.NotNull(file.Downgrade);
        Assert.Equal(9, file.Downgrade.MarkerLine);
        Assert.Equal("DROP TABLE tier_limits;", file.Downgrade.Sql);
        Assert.Equal(MigrationChecksum.Compute(file.Upgrade.Sql), file.Checksum);
        Assert.Matches("^[0-9a-f]{64}$", file.Checksum);
        Assert.False(file.IsBase);
        Assert.False(file.IsMerge);
        Assert.True(file.IsReversible);
    }

    [Fact]
    public void Parser_defaults_revision_to_the_file_name()
    {
        var file = Ok(Parse("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\n", "20250514_create_base_schema.sql"));

        Assert.Equal("20250514_create_base_schema", file.Revision);
        Assert.Equal(1, file.RevisionLine);
        Assert.True(file.IsBase);
        Assert.Null(file.Message);
        Assert.False(file.IsReversible);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("NONE")]
    [InlineData("None")]
    public void Parser_reads_none_in_any_case_as_the_base(string none)
    {
        var file = Ok(Parse($"-- down_revision: {none}\n-- migrate:upgrade\nSELECT 1;"));
        Assert.Empty(file.DownRevisions);
    }

    [Fact]
    public void Parser_reads_a_merge_revision_with_trimmed_parents()
    {
        var file = Ok(Parse("-- down_revision:  a1 ,b2,  c-3.x\n-- migrate:upgrade\nSELECT 1;"));

        Assert.Equal(["a1", "b2", "c-3.x"], file.DownRevisions);
        Assert.True(file.IsMerge);
    }

    [Fact]
    public void Parser_allows_blank_lines_inside_the_header_and_comments_after_it()
    {
        var file = Ok(Parse("""

            -- revision: r1

            -- down_revision: none
            --
            -- message: first
            -- This migration creates the base schema.
            /* more notes,
               over two lines */

            -- migrate:upgrade
            SELECT 1;
            """));

        Assert.Equal("r1", file.Revision);
        Assert.Equal(2, file.RevisionLine);
        Assert.Equal(4, file.DownRevisionLine);
        Assert.Equal("first", file.Message);
        Assert.Equal(11, file.Upgrade.MarkerLine);
    }

    [Fact]
    public void Parser_keeps_colons_inside_the_message_value()
    {
        var file = Ok(Parse("-- down_revision: none\n-- message: Fix: tier limits: v2  \n-- migrate:upgrade\nSELECT 1;"));
        Assert.Equal("Fix: tier limits: v2", file.Message);
    }

    [Fact]
    public void Parser_reads_transaction_options_on_markers()
    {
        var file = Ok(Parse("""
            -- down_revision: none
            -- migrate:upgrade transaction:false
            CREATE INDEX CONCURRENTLY i ON t (a);
            -- migrate:downgrade   transaction:true
            DROP TABLE t;
            """));

        Assert.False(file.Upgrade.Transactional);
        Assert.True(file.Downgrade!.Transactional);
    }

    [Fact]
    public void Parser_accepts_markers_indented_with_spaces_or_tabs()
    {
        var file = Ok(Parse("-- down_revision: none\n  -- migrate:upgrade\nSELECT 1;\n\t-- migrate:downgrade\nSELECT 2;"));
        Assert.Equal(2, file.Upgrade.MarkerLine);
        Assert.Equal(4, file.Downgrade!.MarkerLine);
    }

    [Fact]
    public void Parser_keeps_leading_blank_lines_of_a_section_so_statement_lines_stay_right()
    {
        var file = Ok(Parse("-- down_revision: none\n-- migrate:upgrade\n\n\nSELECT 1;\n\n  \n"));

        Assert.Equal("\n\nSELECT 1;", file.Upgrade.Sql);
        var statement = Assert.Single(file.Upgrade.Statements);
        Assert.Equal(5, statement.Line);
    }

    [Fact]
    public void Parser_allows_an_empty_downgrade_section_as_a_no_op()
    {
        var file = Ok(Parse("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n-- nothing to undo\n"));
        Assert.Equal("-- nothing to undo", file.Downgrade!.Sql);
    }

    // Malformed input: one diagnostic each, with its line.

    [Fact]
    public void Parser_reports_a_missing_upgrade_marker()
    {
        var result = Parse("-- down_revision: none\nSELECT 1;\n-- migrate:downgrade\nSELECT 2;");

        Single(result, DiagnosticCodes.MissingUpgradeSection, 1);
        Single(result, DiagnosticCodes.ContentOutsideSection, 2);
    }

    [Fact]
    public void Parser_reports_a_file_with_only_a_header()
    {
        var result = Parse("-- down_revision: none\n");
        Codes(result, DiagnosticCodes.MissingUpgradeSection);
        Assert.Equal(1, result.Diagnostics[0].Line);
    }

    [Fact]
    public void Parser_reports_an_empty_file()
    {
        var result = Parse("");
        Codes(result, DiagnosticCodes.MissingDownRevision, DiagnosticCodes.MissingUpgradeSection);
        Assert.All(result.Diagnostics, d => Assert.Equal(1, d.Line));
    }

    [Theory]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\n")]
    [InlineData("-- down_revision: none\n-- migrate:upgrade")]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\n   \n\n")]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\n-- only a comment\n/* and a block */\n;\n")]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\n-- migrate:downgrade\nDROP TABLE t;")]
    public void Parser_reports_an_empty_upgrade_section(string content)
    {
        Single(Parse(content), DiagnosticCodes.EmptyUpgradeSection, 2);
    }

    [Fact]
    public void Parser_reports_duplicate_header_keys()
    {
        var result = Parse("-- revision: a\n-- down_revision: none\n-- revision: b\n-- migrate:upgrade\nSELECT 1;");

        var diagnostic = Single(result, DiagnosticCodes.DuplicateHeaderKey, 3);
        Assert.Contains("`revision`", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_an_unknown_header_key_with_a_suggestion()
    {
        var result = Parse("-- revision: a\n-- down_revison: none\n-- migrate:upgrade\nSELECT 1;");

        var diagnostic = Single(result, DiagnosticCodes.UnknownHeaderKey, 2);
        Assert.Contains("`down_revison`", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean `down_revision`?", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("revision, down_revision, message", diagnostic.Message, StringComparison.Ordinal);
        // The typo also leaves the file without a parent.
        Single(result, DiagnosticCodes.MissingDownRevision, 1);
    }

    [Theory]
    [InlineData("Revision", "revision")]
    [InlineData("mesage", "message")]
    [InlineData("down_revisions", "down_revision")]
    [InlineData("downrevision", "down_revision")]
    public void Parser_suggests_the_closest_header_key(string typo, string expected)
    {
        var result = Parse($"-- down_revision: none\n-- {typo}: x\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.UnknownHeaderKey, 2);
        Assert.Contains($"did you mean `{expected}`?", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_lists_valid_keys_without_a_suggestion_for_an_unrelated_key()
    {
        var result = Parse("-- down_revision: none\n-- author: ann\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.UnknownHeaderKey, 2);
        Assert.DoesNotContain("did you mean", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("Valid keys: revision, down_revision, message", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-- revision:\n-- down_revision: none", 1)]
    [InlineData("-- down_revision:   \n-- revision: a", 1)]
    [InlineData("-- down_revision: none\n-- message:", 2)]
    public void Parser_reports_an_empty_header_value(string header, int line)
    {
        var result = Parse(header + "\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.EmptyHeaderValue, line);
        Assert.Contains("has no value", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_a_missing_down_revision()
    {
        var result = Parse("-- revision: a\n-- message: m\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.MissingDownRevision, 1);
        Assert.Contains("none", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("head")]
    [InlineData("HEADS")]
    [InlineData("Base")]
    [InlineData("none")]
    [InlineData("-starts-with-dash")]
    [InlineData("_underscore")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("quote'd")]
    [InlineData("ünïcode")]
    [InlineData("a/b")]
    public void Parser_reports_a_bad_revision_id(string id)
    {
        var result = Parse($"-- down_revision: none\n\n-- revision: {id}\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.InvalidRevisionId, 3);
        Assert.Contains(id, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_accepts_a_revision_id_of_128_characters_and_rejects_129()
    {
        var ok = new string('a', 128);
        Assert.Equal(ok, Ok(Parse($"-- revision: {ok}\n-- down_revision: none\n-- migrate:upgrade\nSELECT 1;")).Revision);

        var result = Parse($"-- revision: {ok}b\n-- down_revision: none\n-- migrate:upgrade\nSELECT 1;");
        var diagnostic = Single(result, DiagnosticCodes.InvalidRevisionId, 1);
        Assert.Contains("128", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_a_bad_revision_id_taken_from_the_file_name()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;", "head.sql");

        var diagnostic = Single(result, DiagnosticCodes.InvalidRevisionId, 1);
        Assert.Contains("file name", diagnostic.Message, StringComparison.Ordinal);
        Single(result, DiagnosticCodes.FileNameConvention, 1);
    }

    [Theory]
    [InlineData("a,,b")]
    [InlineData("a, b, a")]
    [InlineData("a, none")]
    [InlineData("a, head")]
    [InlineData("a b")]
    [InlineData(",a")]
    public void Parser_reports_a_bad_down_revision_list(string value)
    {
        var result = Parse($"-- revision: r\n-- down_revision: {value}\n-- migrate:upgrade\nSELECT 1;");
        Single(result, DiagnosticCodes.InvalidRevisionId, 2);
    }

    [Theory]
    [InlineData("-- revision 20250101_x\n-- down_revision: none", 1)]
    [InlineData("-- down_revision: none\n-- message Add things", 2)]
    public void Parser_reports_a_known_header_key_without_a_colon(string header, int line)
    {
        var result = Parse(header + "\n-- migrate:upgrade\nSELECT 1;");
        Single(result, DiagnosticCodes.MalformedHeaderLine, line);
    }

    [Fact]
    public void Parser_reports_a_header_key_that_comes_after_the_header_ended()
    {
        var result = Parse("-- revision: a\n-- Creates the base schema.\n-- down_revision: none\n-- migrate:upgrade\nSELECT 1;");

        var diagnostic = Single(result, DiagnosticCodes.MalformedHeaderLine, 3);
        Assert.Contains("after the header", diagnostic.Message, StringComparison.Ordinal);
        Single(result, DiagnosticCodes.MissingDownRevision, 1);
    }

    [Fact]
    public void Parser_treats_unknown_key_value_comments_after_the_header_as_comments()
    {
        var file = Ok(Parse("-- down_revision: none\n-- Adds users.\n-- Note: see ticket 12\n-- migrate:upgrade\nSELECT 1;"));
        Assert.Empty(file.DownRevisions);
    }

    [Theory]
    [InlineData("-- down_revision: none\nCREATE TABLE t (a int);\n-- migrate:upgrade\nSELECT 1;", 2)]
    [InlineData("-- down_revision: none\n\n/* note */ SELECT 1;\n-- migrate:upgrade\nSELECT 1;", 3)]
    [InlineData("-- down_revision: none\n/* a\n   b */\n;\n-- migrate:upgrade\nSELECT 1;", 4)]
    [InlineData("SELECT 1;\n-- down_revision: none\n-- migrate:upgrade\nSELECT 1;", 1)]
    public void Parser_reports_sql_before_the_first_marker(string content, int line)
    {
        var diagnostic = Single(Parse(content), DiagnosticCodes.ContentOutsideSection, line);
        Assert.Contains("-- migrate:upgrade", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_sql_before_the_first_marker_once()
    {
        var result = Parse("-- down_revision: none\nSELECT 1;\nSELECT 2;\n-- migrate:upgrade\nSELECT 1;");
        Single(result, DiagnosticCodes.ContentOutsideSection, 2);
    }

    [Theory]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\n-- migrate:upgrade\nSELECT 2;", 4, "line 2")]
    [InlineData("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 2;\n-- migrate:downgrade\nSELECT 3;", 6, "line 4")]
    public void Parser_reports_a_repeated_marker(string content, int line, string firstLine)
    {
        var diagnostic = Single(Parse(content), DiagnosticCodes.DuplicateSection, line);
        Assert.Contains(firstLine, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_a_downgrade_before_the_upgrade()
    {
        var result = Parse("-- down_revision: none\n-- migrate:downgrade\nDROP TABLE t;\n-- migrate:upgrade\nCREATE TABLE t (a int);");

        var diagnostic = Single(result, DiagnosticCodes.SectionOrder, 4);
        Assert.Contains("line 2", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-- migrate:upgrade transaction:maybe", "transaction:maybe")]
    [InlineData("-- migrate:upgrade transaction: false", "transaction:")]
    [InlineData("-- migrate:upgrade transaction:FALSE", "transaction:FALSE")]
    [InlineData("-- migrate:upgrade notransaction", "notransaction")]
    [InlineData("-- migrate:upgrade -- creates t", "--")]
    [InlineData("-- migrate:upgrade transaction:false transaction:true", "twice")]
    public void Parser_reports_a_bad_marker_option(string marker, string quoted)
    {
        var result = Parse($"-- down_revision: none\n{marker}\nSELECT 1;");

        var diagnostic = Result(result, DiagnosticCodes.UnknownSectionOption, 2);
        Assert.Contains(quoted, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("transaction:false", diagnostic.Message, StringComparison.Ordinal);

        static Diagnostic Result(MigrationFileParseResult result, string code, int line)
        {
            var first = result.Diagnostics.First(d => d.Code == code);
            Assert.Equal(line, first.Line);
            Assert.Null(result.File);
            return first;
        }
    }

    [Theory]
    [InlineData("-- migrate:up", "did you mean `-- migrate:upgrade`?")]
    [InlineData("-- migrate:down", "did you mean `-- migrate:downgrade`?")]
    [InlineData("-- migrate: upgrade", "reserved")]
    [InlineData("-- migrate:Upgrade", "reserved")]
    public void Parser_reports_an_unknown_marker_name(string marker, string hint)
    {
        var result = Parse($"-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\n{marker}\nSELECT 2;");
        var diagnostic = Single(result, DiagnosticCodes.UnknownSectionOption, 4);
        Assert.Contains(hint, diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--migrate:downgrade")]
    [InlineData("--  migrate:downgrade")]
    [InlineData("-- Migrate:Downgrade")]
    [InlineData("-- MIGRATE:DOWNGRADE transaction:false")]
    public void Parser_reports_a_line_that_is_almost_a_marker(string line)
    {
        var result = Parse($"-- down_revision: none\n-- migrate:upgrade\nCREATE TABLE t (a int);\n{line}\nDROP TABLE t;");
        var diagnostic = Single(result, DiagnosticCodes.UnknownSectionOption, 4);
        Assert.Contains("looks like a section marker", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_does_not_mistake_a_comment_about_migrating_for_a_marker()
    {
        var file = Ok(Parse("-- down_revision: none\n-- migrate:upgrade\n-- Migrate: upgrade the users table\nSELECT 1;"));
        Assert.Null(file.Downgrade);
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a);", "CREATE INDEX CONCURRENTLY")]
    [InlineData("create unique index concurrently i on t (a);", "CREATE INDEX CONCURRENTLY")]
    [InlineData("VACUUM ANALYZE t;", "VACUUM")]
    [InlineData("REINDEX TABLE CONCURRENTLY t;", "REINDEX CONCURRENTLY")]
    public void Parser_reports_a_statement_that_cannot_run_in_a_transaction_at_its_line(string statement, string command)
    {
        var result = Parse($"-- down_revision: none\n-- migrate:upgrade\nCREATE TABLE t (a int);\n\n-- comment\n{statement}\n");

        var diagnostic = Single(result, DiagnosticCodes.StatementNeedsNoTransaction, 5);
        Assert.Equal(
            $"{command} cannot run inside a transaction; mark the section `-- migrate:upgrade transaction:false`",
            diagnostic.Message);
    }

    [Fact]
    public void Parser_reports_a_non_transactional_statement_in_the_downgrade_section()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:downgrade\nDROP INDEX CONCURRENTLY i;");

        var diagnostic = Single(result, DiagnosticCodes.StatementNeedsNoTransaction, 5);
        Assert.Contains("DROP INDEX CONCURRENTLY", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("`-- migrate:downgrade transaction:false`", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_a_non_transactional_statement_under_an_explicit_transaction_true()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade transaction:true\nALTER SYSTEM SET work_mem = '1GB';");
        var diagnostic = Single(result, DiagnosticCodes.StatementNeedsNoTransaction, 3);
        Assert.StartsWith("ALTER SYSTEM cannot run inside a transaction", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_every_non_transactional_statement()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade\nVACUUM;\nSELECT 1;\nCREATE DATABASE x;");
        Assert.Equal([3, 5], result.Diagnostics.Where(d => d.Code == DiagnosticCodes.StatementNeedsNoTransaction).Select(d => d.Line));
    }

    [Fact]
    public void Parser_ignores_non_transactional_words_inside_strings_and_dollar_bodies()
    {
        Ok(Parse("""
            -- down_revision: none
            -- migrate:upgrade
            INSERT INTO notes VALUES ('VACUUM; CREATE INDEX CONCURRENTLY');
            DO $$ BEGIN RAISE NOTICE 'VACUUM'; END $$;
            COMMENT ON TABLE t IS 'run VACUUM later';
            """));
    }

    [Theory]
    [InlineData("-- migrate:upgrade\nSELECT 1;\nINSERT INTO t VALUES ('oops);\nSELECT 2;", 4, "string", "upgrade")]
    [InlineData("-- migrate:upgrade\nSELECT 1;\n/* note\nSELECT 2;\n-- migrate:downgrade\nSELECT 3;", 4, "block comment", "upgrade")]
    [InlineData("-- migrate:upgrade transaction:false\nSELECT 1;\n-- migrate:downgrade\nDO $$ BEGIN\nEND;", 5, "dollar-quoted string", "downgrade")]
    public void Parser_reports_a_quote_or_comment_left_open_in_a_section(string sections, int line, string what, string section)
    {
        var diagnostic = Single(Parse("-- down_revision: none\n" + sections), DiagnosticCodes.UnterminatedSql, line);
        Assert.Contains($"this {what} is never closed", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains($"rest of the {section} section", diagnostic.Message, StringComparison.Ordinal);
    }

    // Encoding and line endings.

    [Fact]
    public void Parser_reads_crlf_lone_cr_and_bom_files_like_lf_files()
    {
        var lf = Ok(Parse(GoodFile));
        var crlf = Ok(Parse(GoodFile.Replace("\n", "\r\n", StringComparison.Ordinal)));
        var cr = Ok(Parse(GoodFile.Replace("\n", "\r", StringComparison.Ordinal)));
        var bom = Ok(MigrationFileParser.Parse(GoodName, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(GoodFile.Replace("\n", "\r\n", StringComparison.Ordinal))], SqlDialects.PostgreSql));

        foreach (var other in new[] { crlf, cr, bom })
        {
            Assert.Equal(lf.Checksum, other.Checksum);
            Assert.Equal(lf.Upgrade, other.Upgrade);
            Assert.Equal(lf.Downgrade, other.Downgrade);
            Assert.Equal(lf.Message, other.Message);
            Assert.DoesNotContain('\r', other.Upgrade.Sql);
        }
    }

    [Fact]
    public void Parser_reports_lines_of_crlf_files_like_lf_files()
    {
        var result = Parse("-- down_revision: none\r\n\r\n-- bogus: 1\r\n-- migrate:upgrade\r\nSELECT 1;");
        Single(result, DiagnosticCodes.UnknownHeaderKey, 3);
    }

    [Fact]
    public void Checksum_ignores_trailing_whitespace_and_changes_on_any_edit_of_the_upgrade()
    {
        var original = Ok(Parse(GoodFile)).Checksum;

        Assert.Equal(original, Ok(Parse(GoodFile + "\n\n   \n")).Checksum);
        Assert.NotEqual(original, Ok(Parse(GoodFile.Replace("NOT NULL", "NULL", StringComparison.Ordinal))).Checksum);
        Assert.NotEqual(original, Ok(Parse(GoodFile.Replace("(tier);", "(tier);\n-- note", StringComparison.Ordinal))).Checksum);
        // Header and downgrade are not part of the checksum.
        Assert.Equal(original, Ok(Parse(GoodFile.Replace("Add tier limits", "Tier limits", StringComparison.Ordinal))).Checksum);
        Assert.Equal(original, Ok(Parse(GoodFile.Replace("DROP TABLE", "DROP TABLE IF EXISTS", StringComparison.Ordinal))).Checksum);
    }

    [Fact]
    public void Checksum_is_the_sha256_of_the_utf8_section_body()
    {
        Assert.Equal("17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a", MigrationChecksum.Compute("SELECT 1;"));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("SELECT 'é';\nSELECT 2;"))),
            MigrationChecksum.Compute("SELECT 'é';\nSELECT 2;"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MigrationChecksum.Compute(""));
    }

    [Fact]
    public void Parser_reports_invalid_utf8_with_its_line_and_stops()
    {
        var bytes = Encoding.UTF8.GetBytes("-- down_revision: none\r\n-- migrate:upgrade\rSELECT '")
            .Concat(new byte[] { 0xE9 }) // Latin-1 é
            .Concat(Encoding.UTF8.GetBytes("';\n"))
            .ToArray();

        var result = MigrationFileParser.Parse(GoodName, bytes, SqlDialects.PostgreSql);

        Codes(result, DiagnosticCodes.InvalidEncoding);
        var diagnostic = Single(result, DiagnosticCodes.InvalidEncoding, 3);
        Assert.Contains("UTF-8", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("0xE9", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3 })] // truncated sequence at the end
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong encoding
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // UTF-16 surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
    [InlineData(new byte[] { 0x80 })] // lone continuation byte
    public void Parser_rejects_every_kind_of_invalid_utf8(byte[] bad)
    {
        var bytes = Encoding.UTF8.GetBytes("-- down_revision: none\n-- migrate:upgrade\n\nSELECT ").Concat(bad).ToArray();
        Single(MigrationFileParser.Parse(GoodName, bytes, SqlDialects.PostgreSql), DiagnosticCodes.InvalidEncoding, 4);
    }

    [Fact]
    public void Parser_reports_a_utf16_file()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(GoodFile)).ToArray();
        var diagnostic = Single(MigrationFileParser.Parse(GoodName, bytes, SqlDialects.PostgreSql), DiagnosticCodes.InvalidEncoding, 1);
        Assert.Contains("UTF-16", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_reports_a_nul_byte()
    {
        var bytes = Encoding.UTF8.GetBytes("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;\0\n");
        Single(MigrationFileParser.Parse(GoodName, bytes, SqlDialects.PostgreSql), DiagnosticCodes.InvalidEncoding, 3);
    }

    [Fact]
    public void Parser_reads_non_ascii_text_in_sql_and_message()
    {
        var file = Ok(Parse("-- down_revision: none\n-- message: Ajoute les régions 🌍\n-- migrate:upgrade\nINSERT INTO r VALUES ('Zürich');"));
        Assert.Equal("Ajoute les régions 🌍", file.Message);
        Assert.Contains("Zürich", file.Upgrade.Sql, StringComparison.Ordinal);
    }

    // File names.

    [Theory]
    [InlineData("20250515_add_tier_limits.sql")]
    [InlineData("20240229_leap_day.sql")]
    [InlineData("20250101_x.sql")]
    [InlineData("20250101_v2_add_3_columns.sql")]
    public void Parser_accepts_conventional_file_names(string name)
    {
        Ok(Parse("-- down_revision: none\n-- migrate:upgrade\nSELECT 1;", name));
    }

    [Theory]
    [InlineData("add_tier_limits.sql")]
    [InlineData("2025051_add.sql")]
    [InlineData("20250515-add.sql")]
    [InlineData("20250515_Add.sql")]
    [InlineData("20250515_add-limits.sql")]
    [InlineData("20250515_add__limits.sql")]
    [InlineData("20250515_add_.sql")]
    [InlineData("20250515_.sql")]
    [InlineData("20250515.sql")]
    [InlineData("20250515_add.SQL")]
    [InlineData("20250515_add.sql.bak")]
    [InlineData("20250515_add limits.sql")]
    [InlineData("20251301_bad_month.sql")]
    [InlineData("20250230_bad_day.sql")]
    [InlineData("20230229_not_leap.sql")]
    [InlineData("00000101_year_zero.sql")]
    public void Parser_reports_file_names_that_break_the_convention(string name)
    {
        var result = Parse("-- revision: r1\n-- down_revision: none\n-- migrate:upgrade\nSELECT 1;", "migrations/" + name);
        var diagnostic = Single(result, DiagnosticCodes.FileNameConvention, 1);
        Assert.Equal("migrations/" + name, diagnostic.File);
    }

    [Fact]
    public void Parser_reports_every_problem_of_a_file_in_line_order()
    {
        var result = Parse("""
            -- revision: head
            -- revision: again
            -- down_revison: none
            -- message:
            SELECT 'stray';
            -- migrate:downgrade transaction:sometimes
            DROP TABLE t;
            -- migrate:upgrade
            VACUUM;
            -- migrate:upgrade
            SELECT 2;
            --migrate:downgrade
            """, "2025_bad.sql");

        Assert.Null(result.File);
        Assert.Equal(
            [
                (DiagnosticCodes.FileNameConvention, 1),
                (DiagnosticCodes.InvalidRevisionId, 1),
                (DiagnosticCodes.MissingDownRevision, 1),
                (DiagnosticCodes.DuplicateHeaderKey, 2),
                (DiagnosticCodes.UnknownHeaderKey, 3),
                (DiagnosticCodes.EmptyHeaderValue, 4),
                (DiagnosticCodes.ContentOutsideSection, 5),
                (DiagnosticCodes.UnknownSectionOption, 6),
                (DiagnosticCodes.SectionOrder, 8),
                (DiagnosticCodes.StatementNeedsNoTransaction, 9),
                (DiagnosticCodes.DuplicateSection, 10),
                (DiagnosticCodes.UnknownSectionOption, 12),
            ],
            result.Diagnostics.Select(d => (d.Code, d.Line ?? 0)));
        Assert.All(result.Diagnostics, d => Assert.Equal("2025_bad.sql", d.File));
    }

    [Fact]
    public void Diagnostics_print_in_compiler_style()
    {
        var result = Parse("-- down_revision: none\n-- migrate:upgrade\n", "m/20250101_a.sql");
        Assert.Equal(
            "m/20250101_a.sql:2: error PM109: the upgrade section is empty; a migration must change something",
            result.Diagnostics.Single().ToString());
    }
}
