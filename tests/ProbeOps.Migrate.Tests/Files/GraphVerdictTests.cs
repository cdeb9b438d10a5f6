using ProbeOps.Migrate.Files;
using ProbeOps.Migrate.Graph;
using ProbeOps.Migrate.Sql;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Files;

/// <summary>
/// The verdict a full read leaves beside the stat cache, on real files: a directory whose files are all unchanged since
/// is known without reading one of them, and every change (content, a file added, removed or renamed, a repeatable that no
/// longer reads, a verdict or cache that cannot be trusted) sends the command back to the full read. "Aged" as in
/// <see cref="FileStatCacheTests"/>: the cache's own time set an hour ahead, so the racy-clean rule does not hide the rest.
/// </summary>
public sealed class GraphVerdictTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Migrations => _dir.Combine("migrations");

    private GraphLoader Loader(PlaceholderValues? placeholders = null) =>
        new(Migrations, SqlDialects.PostgreSql, placeholders, _dir.Combine("cache"));

    private void AgeCache()
    {
        foreach (var file in Directory.GetFiles(_dir.Combine("cache")))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(1));
        }
    }

    /// <summary>A base and two children (two heads), read once in full and aged.</summary>
    private RevisionGraph ReadOnce()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_a", "CREATE TABLE b (id int);"));
        _dir.Write("migrations/20250103_c.sql", MigrationText.File("20250101_a", "CREATE TABLE c (id int);"));
        var graph = Loader().Load();
        AgeCache();
        return graph;
    }

    [Fact]
    public void An_unchanged_directory_is_known_from_its_verdict_with_the_heads_and_digest_of_the_full_read()
    {
        var graph = ReadOnce();

        var snapshot = Loader().Unchanged();

        Assert.NotNull(snapshot);
        Assert.Equal(3, snapshot.Revisions);
        Assert.Equal(graph.Heads.Select(h => h.Id), snapshot.Heads);
        Assert.Equal(RevisionDigest.Of(graph.TopologicalOrder.Select(r => (r.Id, r.File!.Checksum))), snapshot.Digest);
    }

    [Fact]
    public void No_verdict_before_a_full_read_and_none_for_files_that_do_not_form_a_valid_graph()
    {
        _dir.Write("migrations/20250101_a.sql", MigrationText.File(null, "CREATE TABLE a (id int);"));
        _dir.Write("migrations/20250102_b.sql", MigrationText.File("20250101_missing", "CREATE TABLE b (id int);"));
        Assert.Null(Loader().Unchanged());

        Assert.False(Loader().Validate(allowMultipleHeads: true).IsValid);
        AgeCache();

        Assert.Null(Loader().Unchanged());
    }

    [Fact]
    public void Each_change_to_the_directory_sends_the_next_command_to_the_full_read()
    {
        var changes = new (string What, Action<string> Change)[]
        {
            ("content, same size", dir => File.WriteAllText(Path.Combine(dir, "20250102_b.sql"), MigrationText.File("20250101_a", "CREATE TABLE x (id int);"))),
            ("touch", dir => File.SetLastWriteTimeUtc(Path.Combine(dir, "20250103_c.sql"), DateTime.UtcNow.AddMinutes(-5))),
            ("file added", dir => File.WriteAllText(Path.Combine(dir, "20250104_d.sql"), MigrationText.File("20250102_b", "SELECT 1;"))),
            ("file removed", dir => File.Delete(Path.Combine(dir, "20250103_c.sql"))),
            ("file renamed", dir => File.Move(Path.Combine(dir, "20250103_c.sql"), Path.Combine(dir, "20250103_d.sql"))),
        };
        foreach (var (what, change) in changes)
        {
            if (Directory.Exists(Migrations))
            {
                Directory.Delete(Migrations, recursive: true);
            }

            ReadOnce();
            Assert.True(Loader().Unchanged() is not null, what);

            change(Migrations);

            Assert.True(Loader().Unchanged() is null, what);
        }
    }

    [Fact]
    public void A_verdict_that_is_damaged_or_was_reached_on_another_cache_is_not_trusted()
    {
        ReadOnce();
        var verdict = Directory.GetFiles(_dir.Combine("cache"), "*.verdict").Single();
        var text = File.ReadAllText(verdict);

        File.WriteAllText(verdict, text.Replace("20250103_c", "20250103_x", StringComparison.Ordinal));
        Assert.Null(Loader().Unchanged());

        var lines = text.Split('\n');
        lines[1] = new string('0', 64);
        File.WriteAllText(verdict, string.Join('\n', lines));
        Assert.Null(Loader().Unchanged());
    }

    [Fact]
    public void A_repeatable_migration_whose_placeholder_has_no_value_is_left_to_the_full_read_to_report()
    {
        ReadOnce();
        _dir.Write("migrations/repeatable/views.sql", "-- migrate:upgrade\nCREATE OR REPLACE VIEW v AS SELECT '${owner}' AS owner;\n");

        Assert.Null(Loader().Unchanged());
        var given = new PlaceholderValues(new Dictionary<string, string> { ["owner"] = "app" }, "db", "public", "test");
        var snapshot = Loader(given).Unchanged();
        Assert.NotNull(snapshot);
        Assert.Contains("'app'", Assert.Single(snapshot.Repeatables).Upgrade.Statements[0].Text, StringComparison.Ordinal);
    }
}
