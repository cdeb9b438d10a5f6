using ProbeOps.Migrate.Drift;
using ProbeOps.Migrate.Schema;

namespace ProbeOps.Migrate.Tests.Schema;

/// <summary>The differ on models built in memory: matching, facets, fallbacks, exclusions, notes.</summary>
public sealed class SchemaComparerTests
{
    private static TableDefinition Users(params ColumnDefinition[] columns) => new()
    {
        Schema = "public",
        Name = "users",
        Columns = columns,
        Constraints = [new ConstraintDefinition { Name = "users_pkey", Type = "primary key", Definition = "PRIMARY KEY (id)" }],
    };

    private static ColumnDefinition Column(string name, int position, string type = "text", string? @default = null) =>
        new() { Name = name, Position = position, Type = type, Default = @default };

    private static DatabaseSchema With(params TableDefinition[] tables) => new DatabaseSchema { Provider = "postgresql", Tables = tables }.Normalized();

    [Fact]
    public void Equal_models_have_no_differences()
    {
        var model = With(Users(Column("id", 1, "bigint"), Column("tier", 2, @default: "'free'::text")));
        var comparison = SchemaComparer.Compare(model, model);
        Assert.False(comparison.HasDrift);
        Assert.Empty(comparison.Notes);
    }

    [Fact]
    public void A_changed_default_reads_expected_then_actual()
    {
        var expected = With(Users(Column("id", 1, "bigint"), Column("tier", 2, @default: "'free'::text")));
        var actual = With(Users(Column("id", 1, "bigint"), Column("tier", 2, @default: "'basic'::text")));

        var difference = Assert.Single(SchemaComparer.Compare(expected, actual).Differences);

        Assert.Equal("~ column public.users.tier: default 'free'::text -> 'basic'::text", difference.ToString());
        Assert.Equal("public.users", difference.Owner);
        Assert.Equal(SchemaObjectKind.Table, difference.OwnerKind);
    }

    [Fact]
    public void Added_and_missing_objects_are_named_once_without_their_children()
    {
        var extra = new TableDefinition { Schema = "public", Name = "extra", Columns = [Column("a", 1)] };
        var expected = With(Users(Column("id", 1)));
        var actual = With(Users(Column("id", 1), Column("nickname", 2)), extra);

        var lines = SchemaComparer.Compare(expected, actual).Differences.Select(d => d.ToString()).ToList();

        Assert.Equal(["+ table public.extra", "+ column public.users.nickname"], lines);
        Assert.Equal(["- table public.extra", "- column public.users.nickname"], SchemaComparer.Compare(actual, expected).Differences.Select(d => d.ToString()));
    }

    [Fact]
    public void A_different_column_order_is_a_note_not_drift()
    {
        var expected = With(Users(Column("id", 1), Column("a", 2), Column("b", 3)));
        var actual = With(Users(Column("id", 1), Column("b", 2), Column("a", 3)));

        var comparison = SchemaComparer.Compare(expected, actual);

        Assert.False(comparison.HasDrift);
        Assert.Equal(["column order of table public.users differs (not drift): expected (id, a, b), actual (id, b, a)"], comparison.Notes);
    }

    [Fact]
    public void A_fallback_definition_is_compared_only_when_nothing_else_differs()
    {
        ConstraintDefinition Fk(bool deferrable, string definition) => new() { Name = "fk", Type = "foreign key", Deferrable = deferrable, Definition = definition };
        TableDefinition Table(ConstraintDefinition fk) => new() { Schema = "public", Name = "t", Constraints = [fk] };

        var deferrableChanged = SchemaComparer.Compare(
            With(Table(Fk(true, "FOREIGN KEY (a) REFERENCES u(id) DEFERRABLE"))),
            With(Table(Fk(false, "FOREIGN KEY (a) REFERENCES u(id)"))));
        var actionChanged = SchemaComparer.Compare(
            With(Table(Fk(false, "FOREIGN KEY (a) REFERENCES u(id) ON DELETE CASCADE"))),
            With(Table(Fk(false, "FOREIGN KEY (a) REFERENCES u(id)"))));

        Assert.Equal(["~ constraint public.t.fk: deferrable true -> false"], deferrableChanged.Differences.Select(d => d.ToString()));
        Assert.Equal(
            ["~ constraint public.t.fk: definition FOREIGN KEY (a) REFERENCES u(id) ON DELETE CASCADE -> FOREIGN KEY (a) REFERENCES u(id)"],
            actionChanged.Differences.Select(d => d.ToString()));
    }

    [Fact]
    public void Excluded_objects_and_their_children_are_left_out()
    {
        var expected = With(Users(Column("id", 1)));
        var actual = With(
            Users(Column("id", 1), Column("legacy_flag", 2)),
            new TableDefinition { Schema = "public", Name = "audit_2024", Columns = [Column("a", 1)] });

        var comparison = SchemaComparer.Compare(expected, actual, new ComparisonOptions(["public.audit_*", "public.users.legacy_*"]));

        Assert.False(comparison.HasDrift, string.Join("\n", comparison.Differences));
        Assert.Equal(2, comparison.ExcludedCount);
    }

    [Fact]
    public void Privileges_are_compared_only_when_both_sides_read_them()
    {
        var granted = Users(Column("id", 1)) with { Privileges = ["reader: SELECT"] };
        var withPrivileges = new DatabaseSchema { Tables = [granted], IncludesPrivileges = true }.Normalized();
        var without = new DatabaseSchema { Tables = [Users(Column("id", 1))] }.Normalized();
        var withNone = new DatabaseSchema { Tables = [Users(Column("id", 1))], IncludesPrivileges = true }.Normalized();

        Assert.False(SchemaComparer.Compare(without, withPrivileges).HasDrift);
        Assert.Equal(["~ table public.users: privileges [] -> [reader: SELECT]"], SchemaComparer.Compare(withNone, withPrivileges).Differences.Select(d => d.ToString()));
    }

    [Fact]
    public void Differences_are_grouped_by_the_object_they_belong_to()
    {
        var expected = With(Users(Column("id", 1), Column("tier", 2)), new TableDefinition { Schema = "public", Name = "a", Columns = [Column("x", 1)] });
        var actual = With(Users(Column("id", 1, "bigint")), new TableDefinition { Schema = "public", Name = "a", Columns = [Column("x", 1, "int")] });

        var report = new System.Text.StringBuilder();
        DriftText.AppendDifferences(report, SchemaComparer.Compare(expected, actual));

        Assert.Equal(
            "table public.a\n  ~ column public.a.x: type text -> int\n" +
            "table public.users\n  ~ column public.users.id: type text -> bigint\n  - column public.users.tier\n",
            report.ToString());
    }

    [Fact]
    public void A_changed_body_shows_the_lines_that_differ()
    {
        RoutineDefinition F(string body) => new() { Schema = "public", Name = "f", Definition = "CREATE FUNCTION f()\nAS $$\n" + body + "\n$$\n" };
        var comparison = SchemaComparer.Compare(new DatabaseSchema { Routines = [F("SELECT 1")] }, new DatabaseSchema { Routines = [F("SELECT 2")] });

        var report = new System.Text.StringBuilder();
        DriftText.AppendDifferences(report, comparison);

        Assert.Equal("function public.f()\n  ~ function public.f(): definition differs\n      - SELECT 1\n      + SELECT 2\n", report.ToString());
    }

    [Theory]
    [InlineData("public.*", "public.users", true)]
    [InlineData("public.*", "app.users", false)]
    [InlineData("public.users.legacy_?", "public.users.legacy_1", true)]
    [InlineData("public.users.legacy_?", "public.users.legacy_12", false)]
    [InlineData("*_tmp", "public.a_tmp", true)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b", "xxaxxbxxc", false)]
    public void Globs_match_whole_names(string pattern, string name, bool matches) =>
        Assert.Equal(matches, GlobSet.Match(pattern, name));

    [Fact]
    public void Names_that_need_quotes_are_quoted()
    {
        Assert.Equal("public.users", SchemaNames.Qualify("public", "users"));
        Assert.Equal("public.\"Users\"", SchemaNames.Qualify("public", "Users"));
        Assert.Equal("\"my schema\".\"a\"\"b\"", SchemaNames.Qualify("my schema", "a\"b"));
    }

    [Fact]
    public void A_snapshot_file_of_another_format_or_version_is_refused()
    {
        var wrongFormat = Assert.Throws<MigrateException>(() => SchemaJson.Read("{\"version\": 1}", "x.json"));
        var wrongVersion = Assert.Throws<MigrateException>(() => SchemaJson.Read($"{{\"format\": \"{SchemaSnapshot.FormatName}\", \"version\": 99}}", "x.json"));
        var notJson = Assert.Throws<MigrateException>(() => SchemaJson.Read("not json", "x.json"));

        Assert.Equal(FailureKind.Usage, wrongFormat.Kind);
        Assert.Contains("version 99", wrongVersion.Message, StringComparison.Ordinal);
        Assert.Contains("x.json is not a schema snapshot", notJson.Message, StringComparison.Ordinal);
    }
}
