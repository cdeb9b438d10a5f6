using System.Diagnostics;
using ProbeOps.Migrate.Tests.Cli;
using ProbeOps.Migrate.Tests.Drift;

namespace ProbeOps.Migrate.Tests.Alembic;

/// <summary>
/// A copy of the Alembic project in <c>fixtures/probeops</c> (a base, a branch into two revisions, their
/// merge, then two more) in a directory of its own, and the real <c>alembic</c> command to run on it.
/// Copied, so Alembic's <c>__pycache__</c> and any added script never touch the repository.
/// </summary>
public sealed class AlembicProjectCopy : IDisposable
{
    public const string Base = "1f2e3d4c5b6a";
    public const string TierLimits = "2a3b4c5d6e7f";
    public const string ProbeResults = "3b4c5d6e7f8a";
    public const string Users = "4c5d6e7f8a9b";
    public const string Merge = "5d6e7f8a9b0c";
    public const string OwnerEmail = "6e7f8a9b0c1d";
    public const string OwnerEmailIndex = "7f8a9b0c1d2e";

    public AlembicProjectCopy()
    {
        var fixture = Path.Combine(DriftCommandTests.RepositoryRoot, "tests", "ProbeOps.Migrate.Tests", "Alembic", "fixtures", "probeops");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories).Where(f => !f.Contains("__pycache__", StringComparison.Ordinal)))
        {
            Dir.Write(Path.GetRelativePath(fixture, file), File.ReadAllText(file));
        }
    }

    public TempDirectory Dir { get; } = new();

    public string VersionsDirectory => Dir.Combine("alembic", "versions");

    /// <summary>Adds a revision script to the copy.</summary>
    public void AddScript(string fileName, string text) => Dir.Write(Path.Combine("alembic", "versions", fileName), text);

    /// <summary>Runs the real <c>alembic</c> against <paramref name="databaseUrl"/> (online mode), as a team on Alembic does; fails the test when it fails.</summary>
    public async Task RunAlembicAsync(string databaseUrl, params string[] args)
    {
        var info = new ProcessStartInfo("alembic")
        {
            WorkingDirectory = Dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-c", Dir.Combine("alembic.ini"), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        // SQLAlchemy names the PostgreSQL dialect postgresql://, never postgres://.
        info.Environment["ALEMBIC_DATABASE_URL"] = "postgresql://" + databaseUrl[(databaseUrl.IndexOf("://", StringComparison.Ordinal) + 3)..];
        using var process = Process.Start(info) ?? throw new InvalidOperationException("alembic did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"alembic {string.Join(' ', args)} failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
    }

    public void Dispose() => Dir.Dispose();
}
