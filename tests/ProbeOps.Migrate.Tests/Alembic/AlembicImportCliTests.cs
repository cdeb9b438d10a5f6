using System.Text.Json;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Alembic;

/// <summary><c>import-alembic</c> (SPEC §13) on a real Alembic project with a branch and a merge, through the real process and the real <c>alembic</c>.</summary>
public sealed class AlembicImportCliTests
{
    private static readonly string[] ExpectedFiles =
    [
        "20250514_create_base_schema.sql",
        "20250515_add_tier_limits.sql",
        "20250516_add_probe_results.sql",
        "20250516_add_users.sql",
        "20250517_merge_results_and_users.sql",
        "20250518_add_probe_owner_email.sql",
        // Its Create Date (2025-05-17) is earlier than its parent's: it takes the parent's day, as SPEC §3 orders.
        "20250518_index_probe_owner_email.sql",
    ];

    private static string[] Files(TempDirectory dir) =>
        Directory.Exists(dir.Combine("migrations")) ? [.. Directory.GetFiles(dir.Combine("migrations")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];

    private static string Read(TempDirectory dir, string file) => File.ReadAllText(dir.Combine("migrations", file));

    [Fact]
    public async Task Import_keeps_ids_parents_messages_and_dates_and_takes_the_sql_from_alembic()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();

        var output = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path);

        Assert.True(output.ExitCode == 0, output.ToString());
        Assert.Equal(ExpectedFiles, Files(dir));
        var baseFile = Read(dir, ExpectedFiles[0]);
        Assert.StartsWith($"-- revision: {AlembicProjectCopy.Base}\n-- down_revision: none\n-- message: create base schema\n", baseFile);
        Assert.Contains("CREATE TABLE probes (", baseFile);
        Assert.Contains("-- migrate:downgrade\nDROP TABLE probes;", baseFile);
        var merge = Read(dir, ExpectedFiles[4]);
        Assert.Contains($"-- down_revision: {AlembicProjectCopy.ProbeResults}, {AlembicProjectCopy.Users}\n", merge);
        Assert.Contains("INSERT INTO tier_limits (tier, max_probes) VALUES ('free', 5), ('pro', 50);", Read(dir, ExpectedFiles[1]));
        var index = Read(dir, ExpectedFiles[6]);
        Assert.Contains($"-- revision: {AlembicProjectCopy.OwnerEmailIndex}\n-- down_revision: {AlembicProjectCopy.OwnerEmail}\n", index);
        Assert.Contains("-- migrate:upgrade transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix_probes_owner_email", index);
        foreach (var file in ExpectedFiles)
        {
            var text = Read(dir, file);
            Assert.DoesNotContain("alembic_version", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("BEGIN;", text, StringComparison.Ordinal);
            Assert.DoesNotContain("COMMIT;", text, StringComparison.Ordinal);
        }

        var validate = await CliProcess.RunAsync(dir.Path, "validate");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains($"head {AlembicProjectCopy.OwnerEmailIndex}", validate.Stdout);
    }

    [Fact]
    public async Task Import_from_the_versions_directory_reports_every_revision_in_json()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();

        var output = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.VersionsDirectory, "--migrations", "db", "--json");

        Assert.True(output.ExitCode == 0, output.ToString());
        var json = JsonDocument.Parse(output.Stdout).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean());
        var revisions = json.GetProperty("revisions").EnumerateArray().ToList();
        Assert.Equal(7, revisions.Count);
        var merge = revisions.Single(r => r.GetProperty("revision").GetString() == AlembicProjectCopy.Merge);
        Assert.Equal([AlembicProjectCopy.ProbeResults, AlembicProjectCopy.Users], merge.GetProperty("downRevisions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("merge results and users", merge.GetProperty("message").GetString());
        Assert.EndsWith(Path.Combine("db", ExpectedFiles[4]), merge.GetProperty("file").GetString());
        Assert.True(File.Exists(dir.Combine("db", ExpectedFiles[4])));
    }

    [Fact]
    public async Task A_second_import_refuses_and_leaves_every_file_as_it_was()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();
        var first = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path);
        Assert.True(first.ExitCode == 0, first.ToString());
        File.AppendAllText(dir.Combine("migrations", ExpectedFiles[1]), "-- a local edit\n");
        var before = ExpectedFiles.Select(f => Read(dir, f)).ToList();

        var second = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path);

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("exists already", second.Stderr);
        Assert.Contains("Nothing was written", second.Stderr);
        Assert.Equal(before, ExpectedFiles.Select(f => Read(dir, f)));
        Assert.Equal(ExpectedFiles, Files(dir));
    }

    [Fact]
    public async Task An_existing_file_holding_one_of_the_revision_ids_stops_the_import_before_any_file_is_written()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();
        dir.Write("migrations/20250101_renamed.sql", $"-- revision: {AlembicProjectCopy.Users}\n-- down_revision: none\n\n-- migrate:upgrade\nSELECT 1;\n");

        var output = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path);

        Assert.True(output.ExitCode == 2, output.ToString());
        Assert.Contains($"holds revision {AlembicProjectCopy.Users} already", output.Stderr);
        Assert.Equal(["20250101_renamed.sql"], Files(dir));
    }

    [Fact]
    public async Task A_script_that_cannot_run_offline_fails_naming_its_revision_and_writes_nothing()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();
        alembic.AddScript("8a9b0c1d2e3f_count_probes.py", """"
            """count probes

            Revision ID: 8a9b0c1d2e3f
            Revises: 7f8a9b0c1d2e
            Create Date: 2025-05-19 10:00:00

            """
            from alembic import op
            import sqlalchemy as sa

            revision = '8a9b0c1d2e3f'
            down_revision = '7f8a9b0c1d2e'


            def upgrade():
                # Reads the database: Alembic's offline mode has no connection to read from.
                count = op.get_bind().execute(sa.text("SELECT count(*) FROM probes")).scalar()
                op.execute(f"INSERT INTO tier_limits VALUES ('n', {count})")


            def downgrade():
                pass
            """");

        var output = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path);

        Assert.True(output.ExitCode == 3, output.ToString());
        Assert.Contains("failed at revision 8a9b0c1d2e3f", output.Stderr);
        Assert.Single(output.Stderr.Trim().Split('\n'));
        Assert.Empty(Files(dir));
    }

    [Fact]
    public async Task Without_alembic_or_without_a_project_the_import_fails_in_one_line_and_writes_nothing()
    {
        using var alembic = new AlembicProjectCopy();
        using var dir = new TempDirectory();

        var noAlembic = await CliProcess.RunAsync(dir.Path, "import-alembic", alembic.Dir.Path, "--alembic", dir.Combine("no-such-alembic"));
        var noProject = await CliProcess.RunAsync(dir.Path, "import-alembic", dir.Combine("nowhere"));
        var noIni = await CliProcess.RunAsync(dir.Path, "import-alembic", dir.Path);

        Assert.True(noAlembic.ExitCode == 2, noAlembic.ToString());
        Assert.Contains("Alembic is not installed", noAlembic.Stderr);
        Assert.True(noProject.ExitCode == 2, noProject.ToString());
        Assert.Contains("does not exist", noProject.Stderr);
        Assert.True(noIni.ExitCode == 2, noIni.ToString());
        Assert.Contains("No alembic.ini", noIni.Stderr);
        foreach (var output in (CliOutput[])[noAlembic, noProject, noIni])
        {
            Assert.Single(output.Stderr.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", output.All, StringComparison.Ordinal);
        }

        Assert.Empty(Files(dir));
    }
}
