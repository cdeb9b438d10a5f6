using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using static ProbeOps.Migrate.Tests.Graph.TestGraphs;

namespace ProbeOps.Migrate.Tests.Graph;

public class GraphValidatorTests
{
    private static readonly GraphValidationOptions Strict = new();

    private static GraphValidationResult Validate(params MigrationFile[] files) => GraphValidator.Validate(SetOf(files), Strict);

    private static Diagnostic Single(GraphValidationResult result, string code) =>
        Assert.Single(result.Diagnostics, d => d.Code == code);

    [Fact]
    public void A_valid_chain_gives_a_graph_and_no_findings()
    {
        var result = Validate(
            File("m/20250515_add_tier_limits.sql", ["20250514_create_base_schema"]),
            File("m/20250514_create_base_schema.sql", []),
            File("m/20250516_merge.sql", ["20250515_add_tier_limits"]));

        Assert.Empty(result.Diagnostics);
        Assert.False(result.HasErrors);
        Assert.NotNull(result.Graph);
        Assert.Equal(
            ["20250514_create_base_schema", "20250515_add_tier_limits", "20250516_merge"],
            Ids(result.Graph.TopologicalOrder));
        Assert.NotNull(result.Graph["20250516_merge"].File);
    }

    [Fact]
    public void Duplicate_revision_id_names_both_files()
    {
        var result = Validate(
            File("m/20250101_base.sql", []),
            File("m/20250102_one.sql", ["20250101_base"], revision: "same", revisionLine: 1),
            File("m/20250103_two.sql", ["20250101_base"], revision: "same", revisionLine: 3));

        var duplicate = Single(result, DiagnosticCodes.DuplicateRevision);
        Assert.True(duplicate.IsError);
        Assert.Equal("m/20250103_two.sql", duplicate.File);
        Assert.Equal(3, duplicate.Line);
        Assert.Contains("20250102_one.sql", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("20250103_two.sql", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("'same'", duplicate.Message, StringComparison.Ordinal);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Each_extra_file_claiming_an_id_gets_its_own_finding()
    {
        var result = Validate(
            File("m/c.sql", [], revision: "x"),
            File("m/a.sql", [], revision: "x"),
            File("m/b.sql", [], revision: "x"));

        var duplicates = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.DuplicateRevision).ToList();
        Assert.Equal(["m/b.sql", "m/c.sql"], duplicates.Select(d => d.File));
        Assert.All(duplicates, d => Assert.Contains("a.sql", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void No_base_is_reported_when_every_revision_has_a_parent()
    {
        var result = Validate(File("m/a.sql", ["b"]), File("m/b.sql", ["a"]));

        var noBase = Single(result, DiagnosticCodes.NoBase);
        Assert.True(noBase.IsError);
        Assert.Contains("down_revision: none", noBase.Message, StringComparison.Ordinal);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Several_bases_are_named_together_on_the_newest_base()
    {
        var result = Validate(
            File("m/20250101_a.sql", [], downRevisionLine: 2),
            File("m/20250105_c.sql", [], downRevisionLine: 4),
            File("m/20250103_b.sql", ["20250101_a"]));

        var bases = Single(result, DiagnosticCodes.MultipleBases);
        Assert.Equal("m/20250105_c.sql", bases.File);
        Assert.Equal(4, bases.Line);
        Assert.Contains("20250101_a (20250101_a.sql), 20250105_c (20250105_c.sql)", bases.Message, StringComparison.Ordinal);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Unknown_down_revision_is_named_with_a_close_suggestion()
    {
        var result = Validate(
            File("m/20250514_create_base_schema.sql", []),
            File("m/20250515_add_tier_limits.sql", ["20250514_create_bsae_schema"], downRevisionLine: 2));

        var missing = Single(result, DiagnosticCodes.MissingParent);
        Assert.Equal("m/20250515_add_tier_limits.sql", missing.File);
        Assert.Equal(2, missing.Line);
        Assert.Equal(
            "down_revision names unknown revision '20250514_create_bsae_schema' (did you mean '20250514_create_base_schema'?)",
            missing.Message);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Unknown_down_revision_without_a_close_id_has_no_suggestion()
    {
        var result = Validate(File("m/base.sql", []), File("m/next.sql", ["something_else_entirely"]));

        Assert.Equal("down_revision names unknown revision 'something_else_entirely'", Single(result, DiagnosticCodes.MissingParent).Message);
    }

    [Fact]
    public void A_file_is_never_suggested_as_its_own_parent()
    {
        var result = Validate(File("m/base.sql", []), File("m/20250102_tier.sql", ["20250102_tire"]));

        Assert.Equal("down_revision names unknown revision '20250102_tire'; if it is a C# code migration, only the application that embeds the library can load and run it", Single(result, DiagnosticCodes.MissingParent).Message);
    }

    [Fact]
    public void A_truncated_down_revision_suggests_the_only_id_it_starts()
    {
        var result = Validate(File("m/20250514_create_base_schema.sql", []), File("m/next.sql", ["20250514_create"]));

        Assert.EndsWith("(did you mean '20250514_create_base_schema'?)", Single(result, DiagnosticCodes.MissingParent).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_is_named_in_order_on_its_first_revision()
    {
        var result = Validate(
            File("m/base.sql", []),
            File("m/a.sql", ["base", "c"], downRevisionLine: 5),
            File("m/b.sql", ["a"]),
            File("m/c.sql", ["b"]),
            File("m/tail.sql", ["c"]));

        var cycle = Single(result, DiagnosticCodes.Cycle);
        Assert.Equal("m/a.sql", cycle.File);
        Assert.Equal(5, cycle.Line);
        Assert.Contains("a -> c -> b -> a", cycle.Message, StringComparison.Ordinal);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void A_revision_that_is_its_own_parent_is_a_cycle()
    {
        var result = Validate(File("m/base.sql", []), File("m/self.sql", ["self"], downRevisionLine: 3));

        var cycle = Single(result, DiagnosticCodes.Cycle);
        Assert.Equal("m/self.sql", cycle.File);
        Assert.Equal(3, cycle.Line);
        Assert.Contains("self -> self", cycle.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == DiagnosticCodes.MissingParent);
    }

    [Fact]
    public void Two_separate_cycles_are_both_reported()
    {
        var result = Validate(
            File("m/base.sql", []),
            File("m/a.sql", ["b"]),
            File("m/b.sql", ["a"]),
            File("m/x.sql", ["y"]),
            File("m/y.sql", ["x"]));

        var cycles = result.Diagnostics.Where(d => d.Code == DiagnosticCodes.Cycle).ToList();
        Assert.Equal(2, cycles.Count);
        Assert.Contains("a -> b -> a", cycles[0].Message, StringComparison.Ordinal);
        Assert.Contains("x -> y -> x", cycles[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_heads_are_an_error_with_a_merge_hint()
    {
        var result = Validate(
            File("m/20250101_base.sql", []),
            File("m/20250102_left.sql", ["20250101_base"], revisionLine: 1),
            File("m/20250103_right.sql", ["20250101_base"], revisionLine: 1));

        var heads = Single(result, DiagnosticCodes.MultipleHeads);
        Assert.True(heads.IsError);
        Assert.Equal("m/20250103_right.sql", heads.File);
        Assert.Equal(1, heads.Line);
        Assert.Equal(
            "several heads: 20250102_left, 20250103_right; run `probeops-migrate merge -m \"...\"` to join them",
            heads.Message);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Several_heads_are_accepted_when_allowed()
    {
        var set = SetOf(File("m/base.sql", []), File("m/left.sql", ["base"]), File("m/right.sql", ["base"]));

        var result = GraphValidator.Validate(set, new GraphValidationOptions(AllowMultipleHeads: true));

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Graph);
        Assert.Equal(["left", "right"], Ids(result.Graph.Heads));
    }

    [Fact]
    public void A_revision_dated_before_its_parent_is_reported_on_its_down_revision_line()
    {
        var result = Validate(
            File("m/20250514_base.sql", []),
            File("m/20250601_feature.sql", ["20250514_base"]),
            File("m/20250520_fix.sql", ["20250601_feature"], downRevisionLine: 2));

        var order = Single(result, DiagnosticCodes.DateOrder);
        Assert.Equal("m/20250520_fix.sql", order.File);
        Assert.Equal(2, order.Line);
        Assert.Contains("20250520", order.Message, StringComparison.Ordinal);
        Assert.Contains("20250601_feature.sql", order.Message, StringComparison.Ordinal);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Date_order_is_only_checked_when_both_names_carry_a_date()
    {
        var result = Validate(
            File("m/20250601_base.sql", []),
            File("m/hotfix.sql", ["20250601_base"]),
            File("m/20250101_after_hotfix.sql", ["hotfix"]));

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Graph);
    }

    [Fact]
    public void Same_day_revisions_are_in_order()
    {
        var result = Validate(File("m/20250601_b.sql", []), File("m/20250601_a.sql", ["20250601_b"]));

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void An_empty_directory_is_a_warning_and_an_empty_graph()
    {
        var result = GraphValidator.Validate(new MigrationSet("db/migrations", [], []), Strict);

        var empty = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticCodes.EmptyDirectory, empty.Code);
        Assert.Equal(DiagnosticSeverity.Warning, empty.Severity);
        Assert.Equal("no migration files in db/migrations", empty.Message);
        Assert.False(result.HasErrors);
        Assert.Same(RevisionGraph.Empty, result.Graph);
    }

    [Fact]
    public void A_directory_whose_only_files_failed_has_no_graph_and_no_empty_warning()
    {
        var broken = Diagnostic.Error(DiagnosticCodes.MissingUpgradeSection, "no upgrade section", "m/20250101_base.sql", 4);

        var result = GraphValidator.Validate(new MigrationSet("m", [], [broken]), Strict);

        Assert.Equal([broken], result.Diagnostics);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void References_to_a_file_that_failed_to_parse_are_not_reported_again()
    {
        var broken = Diagnostic.Error(DiagnosticCodes.MalformedHeaderLine, "malformed header line", "m/20250101_base.sql", 2);
        var set = new MigrationSet(
            "m",
            [File("m/20250102_next.sql", ["20250101_base"]), File("m/20250103_last.sql", ["20250102_next"])],
            [broken]);

        var result = GraphValidator.Validate(set, Strict);

        Assert.Equal([broken], result.Diagnostics);
        Assert.True(result.HasErrors);
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Only_references_matching_a_failed_file_are_forgiven()
    {
        var broken = Diagnostic.Error(DiagnosticCodes.MalformedHeaderLine, "malformed header line", "m/20250101_base.sql", 2);
        var set = new MigrationSet(
            "m",
            [File("m/20250102_next.sql", ["20250101_base"]), File("m/20250103_last.sql", ["20250102_nxt"])],
            [broken]);

        var result = GraphValidator.Validate(set, Strict);

        var missing = Single(result, DiagnosticCodes.MissingParent);
        Assert.Equal("m/20250103_last.sql", missing.File);
        Assert.Contains("did you mean '20250102_next'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_set_with_only_file_warnings_still_gives_a_graph()
    {
        var warning = Diagnostic.Warning(DiagnosticCodes.FileNameConvention, "file name does not follow YYYYMMDD_description.sql", "m/Base.sql", 1);
        var set = new MigrationSet("m", [File("m/Base.sql", [])], [warning]);

        var result = GraphValidator.Validate(set, Strict);

        Assert.Equal([warning], result.Diagnostics);
        Assert.NotNull(result.Graph);
    }

    [Fact]
    public void Every_problem_is_reported_in_one_run_sorted_by_file_line_and_code()
    {
        var fileWarning = Diagnostic.Warning(DiagnosticCodes.FileNameConvention, "the file name does not match the revision", "m/20250105_e.sql", 1);
        var set = new MigrationSet(
            "m",
            [
                File("m/20250105_e.sql", ["20250101_a"], revision: "20250103_c", revisionLine: 1),
                File("m/20250101_a.sql", []),
                File("m/20250103_c.sql", ["20250104_d"], downRevisionLine: 2),
                File("m/20250104_d.sql", ["20250101_a"]),
                File("m/20250106_f.sql", ["20250101_x"], downRevisionLine: 3),
            ],
            [fileWarning]);

        var result = GraphValidator.Validate(set, Strict);

        Assert.Equal(
            [
                ("m/20250103_c.sql", 2, DiagnosticCodes.DateOrder),
                ("m/20250105_e.sql", 1, DiagnosticCodes.FileNameConvention),
                ("m/20250105_e.sql", 1, DiagnosticCodes.DuplicateRevision),
                ("m/20250106_f.sql", 1, DiagnosticCodes.MultipleHeads),
                ("m/20250106_f.sql", 3, DiagnosticCodes.MissingParent),
            ],
            result.Diagnostics.Select(d => (d.File!, d.Line!.Value, d.Code)));
        Assert.Null(result.Graph);
    }

    [Fact]
    public void Validation_of_ten_thousand_files_builds_the_graph()
    {
        var files = Enumerable.Range(0, 10_000)
            .Select(i => File($"m/r{i:D5}.sql", i == 0 ? [] : [$"r{i - 1:D5}"]))
            .ToArray();

        var result = Validate(files);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(10_000, result.Graph!.Count);
    }

    [Fact]
    public void A_long_cycle_is_found_without_recursion()
    {
        var files = Enumerable.Range(0, 10_000)
            .Select(i => File($"m/r{i:D5}.sql", [$"r{(i + 1) % 10_000:D5}"]))
            .Append(File("m/base.sql", []))
            .ToArray();

        var result = Validate(files);

        var cycle = Single(result, DiagnosticCodes.Cycle);
        Assert.StartsWith("down_revision cycle: r00000 -> r00001 -> r00002", cycle.Message, StringComparison.Ordinal);
        Assert.Equal("m/r00000.sql", cycle.File);
    }
}
