using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Lint;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Lint;

/// <summary>Builds revision graphs from migration text and lints them.</summary>
internal static class LintTestSupport
{
    /// <summary>The existing, populated tables every rule test's migration runs against (created by an ancestor).</summary>
    public const string BaseSchema = """
        CREATE TABLE accounts (
            id bigint PRIMARY KEY,
            email varchar(100),
            name text,
            balance numeric(10,2),
            score int,
            status text,
            created_at timestamp
        );
        CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint);
        CREATE TYPE mood AS ENUM ('ok', 'sad');
        """;

    public static string Migration(string revision, string? parent, string upgrade, bool transactional = true) => $"""
        -- revision: {revision}
        -- down_revision: {parent ?? "none"}

        -- migrate:upgrade{(transactional ? "" : " transaction:false")}
        {upgrade}
        """;

    public static MigrationFile Parse(string fileName, string content)
    {
        var result = MigrationFileParser.Parse(fileName, Encoding.UTF8.GetBytes(content), SqlDialects.PostgreSql);
        Assert.True(result.File is not null, $"{fileName} does not parse:\n{string.Join("\n", result.Diagnostics)}");
        return result.File;
    }

    public static RevisionGraph BuildGraph(IEnumerable<MigrationFile> files) => RevisionGraph.Create(files.Select(Revision.From));

    /// <summary>Lints <paramref name="upgrade"/> as a child of a revision that created <see cref="BaseSchema"/>.</summary>
    public static LintReport LintChild(string upgrade, LintOptions? options = null, bool transactional = true)
    {
        var graph = BuildGraph(
        [
            Parse("20250101_base.sql", Migration("20250101_base", null, BaseSchema)),
            Parse("20250102_change.sql", Migration("20250102_change", "20250101_base", upgrade, transactional)),
        ]);
        return new MigrationLinter().Lint(graph, [graph["20250102_change"]], options ?? new LintOptions());
    }

    /// <summary>The codes of the error and warning findings, sorted.</summary>
    public static string Codes(LintReport report) =>
        string.Join(",", report.Findings.Where(f => f.Severity != LintSeverity.Notice).Select(f => f.Code).Order(StringComparer.Ordinal));
}
