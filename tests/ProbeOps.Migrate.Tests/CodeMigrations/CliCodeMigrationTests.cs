using System.Text.Json;
using ProbeOps.Migrate.Commands;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.CodeMigrations;

/// <summary>The native command line loads no code: it lists applied code revisions from the history and says who runs them.</summary>
public sealed class CliCodeMigrationTests : IAsyncLifetime
{
    private readonly SqliteCodeProject _project = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _project.DisposeAsync();

    private Task<CliOutput> Cli(params string[] args) =>
        CliProcess.RunAsync(_project.Dir.Path, new Dictionary<string, string?> { ["DATABASE_URL"] = _project.DatabaseUrl }, args);

    /// <summary>The application has applied the base file and its code revision.</summary>
    private async Task ApplyThroughTheLibraryAsync()
    {
        SampleFiles.Write(_project.Dir, withChild: false);
        await _project.Commands(Code.CodeMigrations.Of(new FillDisplayNames())).UpgradeAsync(new RunRequest("head"), default);
    }

    [Fact]
    public async Task Status_lists_an_applied_code_revision_as_run_by_the_library_not_as_unknown()
    {
        await ApplyThroughTheLibraryAsync();

        var status = await Cli("status");
        var json = await Cli("status", "--json", "--check");
        var upgrade = await Cli("upgrade");
        var current = await Cli("current");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains($"code     {FillDisplayNames.Id}  applied ", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("a C# code migration, run by the library (this tool cannot load code)", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("Up to date.", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("UNKNOWN", status.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal(FillDisplayNames.Id, Assert.Single(document.RootElement.GetProperty("code").EnumerateArray()).GetString());
            Assert.Empty(document.RootElement.GetProperty("unknown").EnumerateArray());
        }

        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.True(current.ExitCode == 0, current.ToString());
        Assert.Contains(FillDisplayNames.Id, current.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_parent_is_a_code_revision_says_that_the_library_runs_it()
    {
        await ApplyThroughTheLibraryAsync();
        SampleFiles.Write(_project.Dir);

        var upgrade = await Cli("upgrade");

        Assert.Equal(3, upgrade.ExitCode);
        var validate = await Cli("validate");
        Assert.Equal(3, validate.ExitCode);
        Assert.Contains(
            $"down_revision names unknown revision '{FillDisplayNames.Id}'; if it is a C# code migration, only the application that embeds the library can load and run it",
            validate.All,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", upgrade.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_that_code_migrations_run_through_the_library()
    {
        var help = await Cli("--help");
        var upgrade = await Cli("upgrade", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("C# code migrations run only through the library", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("C# code migrations are run by the library, not by this tool", upgrade.Stdout.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
