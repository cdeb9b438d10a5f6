using ProbeOps.Migrate.Lint.Recognition;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Lint;

public sealed class StatementRecogniserTests
{
    private static RecognisedStatement Recognise(string sql) => StatementRecogniser.Recognise(new StatementTokens(sql));

    [Fact]
    public void Quoted_identifiers_keep_their_case_and_unquoted_ones_fold()
    {
        var alter = Assert.IsType<AlterTable>(Recognise("ALTER TABLE \"Sales\".\"Order \"\"Lines\"\"\" ADD COLUMN \"Note\" TEXT"));
        Assert.Equal(new ObjectName("Sales", "Order \"Lines\""), alter.Table);
        Assert.Equal("Note", Assert.IsType<AddColumn>(Assert.Single(alter.Actions)).Column.Name);

        var folded = Assert.IsType<CreateIndex>(Recognise("CREATE INDEX Ix ON Public.Accounts (Email)"));
        Assert.Equal((new ObjectName("public", "ix"), new ObjectName("public", "accounts")), (folded.Index!.Value, folded.Table));
    }

    [Fact]
    public void If_not_exists_and_if_exists_are_read_around_the_names()
    {
        var create = Assert.IsType<CreateIndex>(Recognise("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY app.t USING btree (a)"));
        Assert.Equal((true, true, true), (create.Unique, create.Concurrently, create.IfNotExists));
        Assert.Equal(new ObjectName("app", "ix"), create.Index);

        var alter = Assert.IsType<AlterTable>(Recognise("ALTER TABLE IF EXISTS ONLY t ADD COLUMN IF NOT EXISTS c int, DROP COLUMN IF EXISTS d"));
        Assert.Equal(new ObjectName("public", "t"), alter.Table);
        Assert.Equal("c", Assert.IsType<AddColumn>(alter.Actions[0]).Column.Name);
        Assert.Equal("d", Assert.IsType<DropColumn>(alter.Actions[1]).Column);

        var drop = Assert.IsType<DropIndex>(Recognise("DROP INDEX CONCURRENTLY IF EXISTS a.ix1, ix2 CASCADE"));
        Assert.Equal([new ObjectName("a", "ix1"), new ObjectName("public", "ix2")], drop.Indexes);
    }

    [Fact]
    public void Every_action_of_one_alter_table_is_recognised_and_commas_inside_parentheses_do_not_split()
    {
        var alter = Assert.IsType<AlterTable>(Recognise("""
            ALTER TABLE t
                ADD COLUMN price numeric(10, 2) NOT NULL DEFAULT 0,
                ALTER COLUMN name SET DATA TYPE varchar(20) USING left(name, 20),
                ALTER name2 SET NOT NULL,
                ADD CONSTRAINT nn CHECK ((c IS NOT NULL)) NOT VALID,
                ADD CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES other.p (x, y),
                VALIDATE CONSTRAINT old_check,
                RENAME COLUMN x TO y
            """));
        Assert.Collection(
            alter.Actions,
            a => Assert.Equal("numeric(10,2)", Assert.IsType<AddColumn>(a).Column.Type!.ToString()),
            a => Assert.True(Assert.IsType<AlterColumnType>(a).HasUsing),
            a => Assert.Equal("name2", Assert.IsType<SetNotNull>(a).Column),
            a => Assert.Equal(("c", true), (Assert.IsType<AddConstraint>(a).NotNullColumn, ((AddConstraint)a).NotValid)),
            a => Assert.Equal(new ObjectName("other", "p"), Assert.IsType<AddConstraint>(a).References),
            a => Assert.Equal("old_check", Assert.IsType<ValidateConstraint>(a).Name),
            a => Assert.Equal(("x", "y"), (Assert.IsType<Rename>(a).Column, ((Rename)a).NewName)));
    }

    [Fact]
    public void Comments_strings_and_quoted_names_never_read_as_keywords()
    {
        Assert.IsType<OtherStatement>(Recognise("-- ALTER TABLE t DROP COLUMN c\nSELECT 'DROP TABLE t'"));
        var create = Assert.IsType<CreateIndex>(Recognise("/* unique */ CREATE INDEX /* concurrently */ \"concurrently\" ON t (a)"));
        Assert.Equal((false, false, "concurrently"), (create.Unique, create.Concurrently, create.Index!.Value.Name));
        var add = Assert.IsType<AddColumn>(Assert.Single(Assert.IsType<AlterTable>(
            Recognise("ALTER TABLE t ADD COLUMN c text DEFAULT 'gen_random_uuid()' -- random()\n NOT NULL")).Actions));
        Assert.Equal((DefaultKind.Stable, true), (add.Column.Default, add.Column.NotNull));
    }

    [Theory]
    [InlineData("int", "int4", "bigint", "int8", "Rewrite")]
    [InlineData("varchar(10)", "varchar", "varchar(20)", "varchar", "CatalogOnly")]
    [InlineData("character varying(20)", "varchar", "character varying(10)", "varchar", "Rewrite")]
    [InlineData("varchar(10)", "varchar", "text", "text", "CatalogOnly")]
    [InlineData("text", "text", "varchar(10)", "varchar", "Rewrite")]
    [InlineData("numeric(10,2)", "numeric", "numeric(12,2)", "numeric", "CatalogOnly")]
    [InlineData("numeric(10,2)", "numeric", "numeric(12,3)", "numeric", "Rewrite")]
    [InlineData("numeric", "numeric", "double precision", "float8", "Rewrite")]
    [InlineData("timestamp(3) without time zone", "timestamp", "timestamp(6)", "timestamp", "CatalogOnly")]
    [InlineData("int[]", "int4", "integer ARRAY", "int4", "CatalogOnly")]
    public void Type_changes_are_priced_like_postgresql(string from, string fromName, string to, string toName, string cost)
    {
        var old = ReadType(from);
        var target = ReadType(to);
        Assert.Equal((fromName, toName), (old.Name, target.Name));
        Assert.Equal(cost, ColumnType.Change(old, target).ToString());
    }

    [Fact]
    public void Statements_know_the_column_they_start_on()
    {
        var split = SqlDialects.PostgreSql.Split("SELECT 1;   SELECT 2;\n  -- c\n  SELECT 3;", firstLine: 7);
        Assert.Equal([(7, 1), (7, 13), (8, 3)], split.Statements.Select(s => (s.Line, s.Column)));
    }

    private static ColumnType ReadType(string text)
    {
        var tokens = new StatementTokens(text);
        return ColumnType.Read(tokens, 0, tokens.Count)!;
    }
}
