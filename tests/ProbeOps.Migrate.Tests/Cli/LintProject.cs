using System.Text.Json;

namespace ProbeOps.Migrate.Tests.Cli;

/// <summary>
/// A project whose second revision builds an index on a table the first one created: dangerous on a database where
/// the first is applied (the table exists and may be large), harmless where both are pending (the table is new).
/// </summary>
public sealed class LintProject : IDisposable
{
    /// <summary>The file line of the <c>CREATE INDEX</c>: header, blank, section marker, a comment, then the statement.</summary>
    public const int IndexLine = 5;

    public const string First = "20250101_orders";

    public const string Second = "20250102_order_index";

    public const string IndexFile = "migrations/" + Second + ".sql";

    public const string CreateIndex = "CREATE INDEX orders_created ON orders (created_at);";

    public LintProject(string? suppression = null)
    {
        Dir.Write($"migrations/{First}.sql", MigrationText.File(null, "CREATE TABLE orders (id bigint PRIMARY KEY, created_at timestamptz);", "DROP TABLE orders;"));
        var comment = suppression is null ? "-- orders are looked up by date" : suppression;
        Dir.Write(IndexFile, MigrationText.File(First, $"{comment}\n{CreateIndex}", "DROP INDEX orders_created;"));
    }

    public TempDirectory Dir { get; } = new();

    public Task<CliOutput> RunAsync(params string[] args) => CliProcess.RunAsync(Dir.Path, args);

    public Task<CliOutput> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) => CliProcess.RunAsync(Dir.Path, environment, args);

    /// <summary>The code of the one finding lint reports on the index, read from <c>lint --json</c> (rule codes belong to the catalogue).</summary>
    public async Task<string> IndexFindingCodeAsync()
    {
        var output = await RunAsync("lint", "--json");
        var finding = Assert.Single(JsonDocument.Parse(output.Stdout).RootElement.GetProperty("findings").EnumerateArray());
        return finding.GetProperty("code").GetString()!;
    }

    public void Dispose() => Dir.Dispose();
}
