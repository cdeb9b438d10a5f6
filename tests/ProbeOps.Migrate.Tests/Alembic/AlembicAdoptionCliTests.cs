using System.Runtime.Versioning;
using ProbeOps.Migrate.Tests.Deploy;

namespace ProbeOps.Migrate.Tests.Alembic;

/// <summary>
/// A PostgreSQL database that real Alembic upgraded part-way, then imported and deployed with our tool
/// (SPEC §13): what <c>alembic_version</c> names, and its ancestors, count as applied; only what is newer runs.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AlembicAdoptionCliTests
{
    private const string NewerThanMerge = "5d6e7f8a9b0c,6e7f8a9b0c1d,7f8a9b0c1d2e";

    private static async Task<(DeployProject Project, AlembicProjectCopy Alembic)> ImportedAsync()
    {
        var project = await DeployProject.CreateAsync(migrations: 0);
        var alembic = new AlembicProjectCopy();
        var import = await project.RunAsync("import-alembic", alembic.Dir.Path);
        Assert.True(import.ExitCode == 0, import.ToString());
        return (project, alembic);
    }

    private static Task<string?> AlembicVersionAsync(DeployProject project) =>
        project.ScalarAsync<string>("SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version");

    [Fact]
    public async Task Deploy_at_two_alembic_heads_applies_only_the_merge_and_what_follows_and_audits_the_adoption()
    {
        var (project, alembic) = await ImportedAsync();
        await using var _ = project;
        using var __ = alembic;
        // Both branch heads applied by Alembic: alembic_version holds two rows.
        await alembic.RunAlembicAsync(project.Database.Url, "upgrade", AlembicProjectCopy.ProbeResults);
        await alembic.RunAlembicAsync(project.Database.Url, "upgrade", AlembicProjectCopy.Users);
        Assert.Equal($"{AlembicProjectCopy.ProbeResults},{AlembicProjectCopy.Users}", await AlembicVersionAsync(project));

        var deploy = await project.RunAsync("deploy");

        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains("managed by Alembic", deploy.All);
        // alembic_version is Alembic's record, not drift: the expected-schema check passes with it in place.
        Assert.Contains("matches the migrations", deploy.All);
        Assert.Equal(7, (await project.HistoryAsync()).Count);
        // The adopted revisions were recorded without running; the newer ones ran (and took time).
        Assert.Equal(NewerThanMerge, await project.ScalarAsync<string>(
            "SELECT string_agg(revision, ',' ORDER BY revision) FROM probeops_schema_history WHERE revision NOT IN "
            + $"(SELECT unnest(string_to_array('{AlembicProjectCopy.Base},{AlembicProjectCopy.TierLimits},{AlembicProjectCopy.ProbeResults},{AlembicProjectCopy.Users}', ',')))"));
        Assert.Equal("owner_email", await project.ScalarAsync<string>(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 'probes'::regclass AND attname = 'owner_email'"));
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_probes_owner_email'"));
        // The rows Alembic inserted are still there once, so nothing it applied ran again.
        Assert.Equal(2L, await project.ScalarAsync<long>("SELECT count(*) FROM tier_limits"));
        Assert.Equal($"{AlembicProjectCopy.ProbeResults},{AlembicProjectCopy.Users}", await AlembicVersionAsync(project));
        var detail = await project.ScalarAsync<string>("SELECT detail FROM probeops_schema_history_audit WHERE operation = 'stamp' AND outcome = 'succeeded'");
        Assert.Contains($"adopted an Alembic database at {AlembicProjectCopy.ProbeResults}, {AlembicProjectCopy.Users} (alembic_version)", detail);
        Assert.Contains("4 revisions recorded as applied", detail);
        project.AssertNoPasswordLeaked();

        var again = await project.RunAsync("deploy");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM probeops_schema_history_audit WHERE operation = 'stamp'"));
    }

    [Fact]
    public async Task Upgrade_at_the_alembic_merge_applies_the_two_newer_revisions()
    {
        var (project, alembic) = await ImportedAsync();
        await using var _ = project;
        using var __ = alembic;
        await alembic.RunAlembicAsync(project.Database.Url, "upgrade", AlembicProjectCopy.Merge);

        var upgrade = await project.RunAsync("upgrade");

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.Equal(7, (await project.HistoryAsync()).Count);
        Assert.Equal(
            $"stamp:adopted an Alembic database at {AlembicProjectCopy.Merge} (alembic_version): 5 revisions recorded as applied; alembic_version left as it was|upgrade:",
            await project.ScalarAsync<string>("SELECT string_agg(operation || ':' || coalesce(detail, ''), '|' ORDER BY id) FROM probeops_schema_history_audit WHERE outcome = 'succeeded'"));
        Assert.Equal(1L, await project.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_probes_owner_email'"));
        Assert.Equal(AlembicProjectCopy.Merge, await AlembicVersionAsync(project));
    }

    [Fact]
    public async Task Stamp_adopts_the_alembic_revision_first_so_a_relative_target_counts_from_it()
    {
        var (project, alembic) = await ImportedAsync();
        await using var _ = project;
        using var __ = alembic;
        await alembic.RunAlembicAsync(project.Database.Url, "upgrade", AlembicProjectCopy.Merge);

        var stamp = await project.RunAsync("stamp", "+1");

        Assert.True(stamp.ExitCode == 0, stamp.ToString());
        // The five revisions up to the merge, adopted, and one step past it, recorded: nothing ran.
        Assert.Equal(6, (await project.HistoryAsync()).Count);
        Assert.Equal(1L, await project.ScalarAsync<long>(
            $"SELECT count(*) FROM probeops_schema_history WHERE revision = '{AlembicProjectCopy.OwnerEmail}'"));
        Assert.Equal(0L, await project.ScalarAsync<long>(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'probes'::regclass AND attname = 'owner_email'"));
        Assert.Equal(
            $"stamp:adopted an Alembic database at {AlembicProjectCopy.Merge} (alembic_version): 5 revisions recorded as applied; alembic_version left as it was|stamp:stamped {AlembicProjectCopy.OwnerEmail}",
            await project.ScalarAsync<string>("SELECT string_agg(operation || ':' || coalesce(detail, ''), '|' ORDER BY id) FROM probeops_schema_history_audit WHERE outcome = 'succeeded'"));
        Assert.Equal(AlembicProjectCopy.Merge, await AlembicVersionAsync(project));
    }

    [Fact]
    public async Task An_alembic_revision_the_files_do_not_hold_stops_the_deploy_before_any_change()
    {
        var (project, alembic) = await ImportedAsync();
        await using var _ = project;
        using var __ = alembic;
        await alembic.RunAlembicAsync(project.Database.Url, "upgrade", AlembicProjectCopy.TierLimits);
        await project.ExecAsync("UPDATE alembic_version SET version_num = 'ffffffffffff'");

        var deploy = await project.RunAsync("deploy");

        Assert.True(deploy.ExitCode == 3, deploy.ToString());
        Assert.Contains("alembic_version names ffffffffffff, which no migration file holds", deploy.Stderr);
        Assert.Empty(await project.HistoryAsync());
        Assert.Empty(project.Backups());
        Assert.False(await project.TableExistsAsync("users"));
    }
}
