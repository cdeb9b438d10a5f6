using System.Diagnostics;
using System.Globalization;

namespace ProbeOps.Migrate.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted over a directory, to make a real file system run out of room (bytes or
/// inodes). Needs root, as the test run has; a mount that fails fails the test. Unmounted on dispose.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <param name="bytes">The size limit (rounded up to whole pages by the kernel).</param>
    /// <param name="inodes">The number of inodes, the mount's own directory included.</param>
    public static TmpfsMount Create(string path, long bytes, int inodes = 1000)
    {
        Directory.CreateDirectory(path);
        var options = string.Create(CultureInfo.InvariantCulture, $"size={bytes},nr_inodes={inodes},mode=0755");
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs failed (exit {code}): {output.Trim()}; these tests need root.");
        }

        return new TmpfsMount(path);
    }

    public void Dispose()
    {
        if (Run("umount", Path).Code != 0)
        {
            // Something still holds a file open: detach now, the kernel frees it when released.
            Run("umount", "-l", Path);
        }
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
