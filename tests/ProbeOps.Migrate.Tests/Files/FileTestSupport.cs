using System.Text;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

internal static class FileTestSupport
{
    public const string GoodName = "20250515_add_tier_limits.sql";

    public const string GoodFile = """
        -- revision: 20250515_add_tier_limits
        -- down_revision: 20250514_create_base_schema
        -- message: Add tier limits

        -- migrate:upgrade
        CREATE TABLE tier_limits (id int PRIMARY KEY, tier text NOT NULL);
        CREATE INDEX tier_limits_tier ON tier_limits (tier);

        -- migrate:downgrade
        DROP TABLE tier_limits;
        """;

    public static MigrationFileParseResult Parse(string content, string name = GoodName, ISqlDialect? dialect = null) =>
        MigrationFileParser.Parse(name, Encoding.UTF8.GetBytes(content), dialect ?? SqlDialects.PostgreSql);

    /// <summary>Asserts exactly one diagnostic with <paramref name="code"/>, on <paramref name="line"/>, and returns it.</summary>
    public static Diagnostic Single(MigrationFileParseResult result, string code, int line)
    {
        var matches = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.True(matches.Count == 1,
            $"expected one {code}, got {matches.Count}:\n{string.Join("\n", result.Diagnostics)}");
        var diagnostic = matches[0];
        Assert.Equal(line, diagnostic.Line);
        Assert.True(diagnostic.IsError);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.File));
        Assert.Null(result.File);
        return diagnostic;
    }

    /// <summary>Asserts the codes (in file order) of every diagnostic.</summary>
    public static void Codes(MigrationFileParseResult result, params string[] codes) =>
        Assert.True(codes.SequenceEqual(result.Diagnostics.Select(d => d.Code)),
            $"expected [{string.Join(", ", codes)}], got:\n{string.Join("\n", result.Diagnostics)}");

    public static MigrationFile Ok(MigrationFileParseResult result)
    {
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.File);
        return result.File;
    }
}
