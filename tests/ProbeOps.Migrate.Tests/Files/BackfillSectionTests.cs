using ProbeOps.Migrate.Diagnostics;
using static ProbeOps.Migrate.Tests.Files.FileTestSupport;

namespace ProbeOps.Migrate.Tests.Files;

/// <summary>The <c>-- migrate:backfill</c> section: where it may stand, its one option, its statements.</summary>
public class BackfillSectionTests
{
    private const string Header = "-- down_revision: none\n\n-- migrate:upgrade\nALTER TABLE t ADD COLUMN c int;\n\n";

    [Fact]
    public void A_backfill_after_the_upgrade_is_cut_into_statements_with_its_pause_and_left_out_of_the_checksum()
    {
        var file = Ok(Parse(Header + """
            -- migrate:backfill pause:250ms
            UPDATE t SET c = 1 WHERE id IN (SELECT id FROM t WHERE c IS NULL LIMIT 100);
            -- a second statement, with a semicolon in a string
            UPDATE t SET note = 'a;b' WHERE id IN (SELECT id FROM t WHERE note IS NULL LIMIT 100);

            -- migrate:downgrade
            ALTER TABLE t DROP COLUMN c;
            """));
        var withoutBackfill = Ok(Parse(Header + "-- migrate:downgrade\nALTER TABLE t DROP COLUMN c;\n"));

        var backfill = Assert.IsType<ProbeOps.Migrate.Files.MigrationSection>(file.Backfill);
        Assert.True(file.HasBackfill);
        Assert.Equal(TimeSpan.FromMilliseconds(250), backfill.Pause);
        Assert.Equal(6, backfill.MarkerLine);
        Assert.Equal([7, 9], backfill.Statements.Select(s => s.Line));
        Assert.EndsWith("note IS NULL LIMIT 100)", backfill.Statements[1].Text, StringComparison.Ordinal);
        Assert.Equal("ALTER TABLE t DROP COLUMN c;", file.Downgrade!.Sql);
        Assert.Equal(withoutBackfill.Checksum, file.Checksum);
        Assert.False(withoutBackfill.HasBackfill);
    }

    [Fact]
    public void A_backfill_may_follow_the_downgrade_and_has_no_pause_by_default()
    {
        var file = Ok(Parse(Header + "-- migrate:downgrade\nALTER TABLE t DROP COLUMN c;\n\n-- migrate:backfill\nUPDATE t SET c = 1 WHERE c IS NULL;\n"));

        Assert.Equal(TimeSpan.Zero, file.Backfill!.Pause);
        Assert.Single(file.Backfill.Statements);
        Assert.Equal("ALTER TABLE t DROP COLUMN c;", file.Downgrade!.Sql);
    }

    [Fact]
    public void A_backfill_before_the_upgrade_is_out_of_order()
    {
        var result = Parse("-- down_revision: none\n-- migrate:backfill\nUPDATE t SET c = 1;\n-- migrate:upgrade\nSELECT 1;\n");

        var error = Single(result, DiagnosticCodes.SectionOrder, 4);
        Assert.Contains("backfill section (line 2) comes before the upgrade section", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transaction:false", "unknown option `transaction:false`")]
    [InlineData("pause:soon", "not a duration: `pause:soon`")]
    [InlineData("pause:1s pause:2s", "option given twice: `pause:2s`")]
    public void A_backfill_takes_only_a_pause(string options, string message)
    {
        var error = Single(Parse(Header + $"-- migrate:backfill {options}\nUPDATE t SET c = 1;\n"), DiagnosticCodes.UnknownSectionOption, 6);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("the only option is `pause:DURATION`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_or_repeated_backfill_is_an_error()
    {
        Single(Parse(Header + "-- migrate:backfill\n-- nothing yet\n"), DiagnosticCodes.EmptyBackfillSection, 6);
        Single(Parse(Header + "-- migrate:backfill\nUPDATE t SET c = 1;\n-- migrate:backfill\nUPDATE t SET c = 2;\n"), DiagnosticCodes.DuplicateSection, 8);
    }

    [Fact]
    public void A_statement_that_refuses_a_transaction_cannot_be_a_backfill()
    {
        var error = Single(Parse(Header + "-- migrate:backfill\nVACUUM t;\n"), DiagnosticCodes.StatementNeedsNoTransaction, 7);

        Assert.Contains("every run of a backfill is a transaction", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-- migrate:backfil", "did you mean `-- migrate:backfill`?")]
    [InlineData("--migrate:backfill", "looks like a section marker")]
    public void A_misspelt_backfill_marker_is_reported(string marker, string message)
    {
        var error = Single(Parse(Header + marker + "\nUPDATE t SET c = 1;\n"), DiagnosticCodes.UnknownSectionOption, 6);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
