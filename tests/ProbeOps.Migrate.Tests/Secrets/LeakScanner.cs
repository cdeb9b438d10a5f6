using System.Text;
using ProbeOps.Migrate.Tests.Cli;

namespace ProbeOps.Migrate.Tests.Secrets;

/// <summary>Looks for a password in a command's output and in every file under a directory, names included.</summary>
public static class LeakScanner
{
    public static void AssertNowhere(MarkedSetting setting, CliOutput output, string directory, string command) =>
        AssertNowhere(setting.Pieces, output, directory, $"{command} with {setting}");

    public static void AssertNowhere(IEnumerable<string> pieces, CliOutput output, string directory, string what)
    {
        foreach (var piece in pieces)
        {
            Assert.False(output.Stdout.Contains(piece, StringComparison.Ordinal), $"{what} printed the password on stdout:\n{output}");
            Assert.False(output.Stderr.Contains(piece, StringComparison.Ordinal), $"{what} printed the password on stderr:\n{output}");
            if (FileHolding(piece, directory) is { } file)
            {
                Assert.Fail($"{what} left the password in {file}:\n{output}");
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
