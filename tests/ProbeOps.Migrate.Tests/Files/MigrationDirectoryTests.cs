using System.Text;
using ProbeOps.Migrate.Diagnostics;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Tests.Files;

public sealed class MigrationDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "probeops-files-" + Guid.NewGuid().ToString("N"));

    public MigrationDirectoryTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private static string Migration(string downRevision) =>
        $"-- down_revision: {downRevision}\n-- migrate:upgrade\nSELECT 1;\n";

    [Fact]
    public void Directory_loads_top_level_sql_files_in_ordinal_name_order()
    {
        Write("20250516_c.sql", Migration("20250515_b"));
        Write("20250514_a.sql", Migration("none"));
        Write("20250515_b.sql", Migration("20250514_a"));
        Write("README.md", "not a migration");
        Write("nested/20250517_d.sql", Migration("20250516_c"));
        Write(".20250518_hidden.sql", "editor leftovers");

        var set = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);

        Assert.Equal(_directory, set.Directory);
        Assert.Empty(set.Diagnostics);
        Assert.False(set.HasErrors);
        Assert.Equal(["20250514_a", "20250515_b", "20250516_c"], set.Files.Select(f => f.Revision));
        Assert.Equal(Path.Combine(_directory, "20250514_a.sql"), set.Files[0].Path);
    }

    [Fact]
    public void Directory_keeps_diagnostics_of_bad_files_and_leaves_them_out()
    {
        Write("20250514_a.sql", Migration("none"));
        var bad = Write("20250515_b.sql", "-- migrate:upgrade\nSELECT 1;");
        var shouting = Write("20250516_C.SQL", Migration("20250515_b"));

        var set = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);

        Assert.True(set.HasErrors);
        Assert.Equal(["20250514_a"], set.Files.Select(f => f.Revision));
        Assert.Equal(
            [(DiagnosticCodes.MissingDownRevision, bad), (DiagnosticCodes.FileNameConvention, shouting)],
            set.Diagnostics.Select(d => (d.Code, d.File!)));
    }

    [Fact]
    public void Directory_reports_a_missing_directory_by_name()
    {
        var missing = Path.Combine(_directory, "nope");

        var set = MigrationDirectory.Load(missing, SqlDialects.PostgreSql);

        var diagnostic = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnreadableFile, diagnostic.Code);
        Assert.Equal(missing, diagnostic.File);
        Assert.Contains(missing, diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", diagnostic.Message, StringComparison.Ordinal);
        Assert.Empty(set.Files);
    }

    [Fact]
    public void Directory_reports_a_file_given_as_the_directory()
    {
        var file = Write("20250514_a.sql", Migration("none"));
        var diagnostic = Assert.Single(MigrationDirectory.Load(file, SqlDialects.PostgreSql).Diagnostics);
        Assert.Equal(DiagnosticCodes.UnreadableFile, diagnostic.Code);
        Assert.Contains("is a file", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_reports_an_unreadable_file_and_reads_the_others()
    {
        // A dangling symbolic link is listed like a file but cannot be read, even by root.
        Write("20250514_a.sql", Migration("none"));
        var broken = Path.Combine(_directory, "20250515_b.sql");
        File.CreateSymbolicLink(broken, Path.Combine(_directory, "gone", "20250515_b.sql"));

        var set = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);

        var diagnostic = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticCodes.UnreadableFile, diagnostic.Code);
        Assert.Equal(broken, diagnostic.File);
        Assert.StartsWith("cannot read file: ", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(["20250514_a"], set.Files.Select(f => f.Revision));
    }

    [Fact]
    public void Directory_with_no_sql_files_loads_empty()
    {
        var set = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);
        Assert.Empty(set.Files);
        Assert.Empty(set.Diagnostics);
    }

    [Fact]
    public void Directory_order_is_deterministic_across_many_files()
    {
        for (var i = 0; i < 500; i++)
            Write($"2025{1 + (i % 12):00}{1 + (i % 28):00}_m{i}.sql", Migration("none"));

        var first = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);
        var second = MigrationDirectory.Load(_directory, SqlDialects.PostgreSql);

        Assert.Equal(500, first.Files.Count);
        var names = first.Files.Select(f => f.FileName).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names, second.Files.Select(f => f.FileName));
    }
}
