using System.ComponentModel;
using System.Diagnostics;

namespace ProbeOps.Migrate.Providers.PostgreSql;

/// <summary>What a client program printed (its first lines only) and how it exited.</summary>
internal sealed record PgProcessResult(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)
{
    /// <summary>The first stderr line that reports an error, else the first stderr line, else a note that there was none.</summary>
    public string FirstErrorLine
    {
        get
        {
            foreach (var line in Stderr)
            {
                if (line.Contains("error:", StringComparison.OrdinalIgnoreCase) || line.Contains("FATAL", StringComparison.Ordinal))
                {
                    return line.Trim();
                }
            }

            return Stderr.Count > 0 ? Stderr[0].Trim() : "(no message on stderr)";
        }
    }
}

/// <summary>
/// Runs <c>pg_dump</c>, <c>pg_restore</c> and <c>psql</c> directly (no shell, arguments passed one by
/// one) with an environment of their own, so a password travels in the child's environment and never
/// on a command line another user could read. Output is read as it comes, so a chatty program never
/// blocks on a full pipe, and only the first lines are kept: a TOC listing of a large database stays
/// out of memory.
/// </summary>
internal static class PgProcess
{
    /// <summary>How many lines of each stream are kept.</summary>
    public const int KeptLines = 64;

    /// <summary>Runs <paramref name="program"/> to its end; killing it (and its children) when cancelled.</summary>
    /// <param name="environment">Variables to set (a null value removes the variable) over this process's environment.</param>
    public static Task<PgProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        CancellationToken cancellationToken) =>
        RunAsync(program, arguments, environment, stdout: null, cancellationToken);

    /// <summary>Runs <paramref name="program"/> to its end, its standard output copied byte for byte into <paramref name="stdout"/>.</summary>
    /// <param name="stdout">Where the output goes; null to keep its first lines instead.</param>
    public static async Task<PgProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?> environment,
        Stream? stdout,
        CancellationToken cancellationToken)
    {
        var info = StartInfo(program, arguments, environment);
        cancellationToken.ThrowIfCancellationRequested();
        using var process = Start(info);

        // Nothing is ever typed into these programs: a password prompt must fail, not hang.
        process.StandardInput.Close();
        var output = stdout is null ? ReadLinesAsync(process.StandardOutput) : CopyAsync(process, stdout, cancellationToken);
        var stderr = ReadLinesAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        // A failed copy (a full disk) throws here, after the program it stopped has exited.
        return new PgProcessResult(process.ExitCode, await output, await stderr);
    }

    private static async Task<List<string>> CopyAsync(Process process, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(destination, cancellationToken);
        }
        catch
        {
            // Nobody reads the pipe any more: the program would block on it for ever.
            Kill(process);
            throw;
        }

        return [];
    }

    /// <summary>The start of a client program: no shell, arguments one by one, every stream redirected.</summary>
    /// <param name="environment">Variables to set (a null value removes the variable) over this process's environment.</param>
    internal static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Starts a program; one that cannot be run is a backup failure naming it.</summary>
    internal static Process Start(ProcessStartInfo info)
    {
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
            return process;
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new MigrateException(FailureKind.BackupFailed, $"Could not run {info.FileName}: {ex.Message}.");
        }
    }

    internal static async Task<List<string>> ReadLinesAsync(StreamReader reader)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (lines.Count < KeptLines)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    internal static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }
}
