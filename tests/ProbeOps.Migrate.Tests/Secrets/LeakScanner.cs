using System.Text;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>Looks for a password in a command's output and in every file under a directory, names included.</summary>
public static class LeakScanner
{
    public static void AssertNowhere(MarkedSetting setting, CliOutput output, string directory, string command)
    {
        foreach (var piece in setting.Pieces)
        {
            Assert.False(output.Stdout.Contains(piece, StringComparison.Ordinal), $"{command} printed the password on stdout for {setting}:\n{output}");
            Assert.False(output.Stderr.Contains(piece, StringComparison.Ordinal), $"{command} printed the password on stderr for {setting}:\n{output}");
            if (FileHolding(piece, directory) is { } file)
            {
                Assert.Fail($"{command} left the password in {file} for {setting}:\n{output}");
            }
        }
    }

    private static string? FileHolding(string piece, string directory)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            if (path.Contains(piece, StringComparison.Ordinal) ||
                (File.Exists(path) && File.ReadAllBytes(path).AsSpan().IndexOf(bytes) >= 0))
            {
                return path;
            }
        }

        return null;
    }
}
