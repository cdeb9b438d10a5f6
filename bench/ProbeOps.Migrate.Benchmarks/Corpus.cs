using System.Globalization;
using System.Text;
using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Sql;

namespace ProbeOps.Migrate.Benchmarks;

/// <summary>The benchmark corpus in memory: the same files bench/gen_corpus.py writes to disk.</summary>
internal static class Corpus
{
    public static string RevisionId(int i) => string.Create(CultureInfo.InvariantCulture, $"20250101_m{i:D5}_create_bench_t{i:D5}");

    public static string UpgradeSql(int i)
    {
        var t = string.Create(CultureInfo.InvariantCulture, $"bench_t{i:D5}");
        var sql = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"CREATE TABLE {t} (\n")
            .Append("    id bigint PRIMARY KEY,\n")
            .Append("    name text NOT NULL,\n")
            .Append("    created_at timestamptz NOT NULL DEFAULT now()\n")
            .Append(");\n")
            .Append(CultureInfo.InvariantCulture, $"CREATE INDEX ix_{t}_created_at ON {t} (created_at);\n");
        if (i % 10 == 0)
        {
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE bench_t{i - 9:D5} ADD COLUMN note_{i:D5} text;\n");
        }

        return sql.ToString();
    }

    public static string DowngradeSql(int i) =>
        (i % 10 == 0 ? string.Create(CultureInfo.InvariantCulture, $"ALTER TABLE bench_t{i - 9:D5} DROP COLUMN note_{i:D5};\n") : "") +
        string.Create(CultureInfo.InvariantCulture, $"DROP TABLE bench_t{i:D5};\n");

    public static string FileText(int i) => string.Create(CultureInfo.InvariantCulture,
        $"-- revision: {RevisionId(i)}\n-- down_revision: {(i == 1 ? "none" : RevisionId(i - 1))}\n-- message: Create bench_t{i:D5}\n\n-- migrate:upgrade\n{UpgradeSql(i)}\n-- migrate:downgrade\n{DowngradeSql(i)}");

    public static string PathOf(int i) => "/corpus/" + RevisionId(i) + ".sql";

    /// <summary>Files 1..<paramref name="count"/> as UTF-8 bytes, as read from disk.</summary>
    public static (string Path, byte[] Content)[] Files(int count) =>
        Enumerable.Range(1, count).Select(i => (PathOf(i), Encoding.UTF8.GetBytes(FileText(i)))).ToArray();

    /// <summary>Files 1..<paramref name="count"/> parsed; throws if any fails, so a benchmark never measures an error path.</summary>
    public static MigrationSet Parsed(int count)
    {
        var files = new List<MigrationFile>(count);
        foreach (var (path, content) in Files(count))
        {
            var result = MigrationFileParser.Parse(path, content, SqlDialects.PostgreSql);
            files.Add(result.File ?? throw new InvalidOperationException($"{path}: {string.Join("; ", result.Diagnostics.Select(d => d.Message))}"));
        }

        return new MigrationSet("/corpus", files, []);
    }
}
